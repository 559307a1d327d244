"""Playwright against pytest-django's live server, in Debian's Chromium.

Playwright cannot download its own browsers here, so the launch points at
/usr/bin/chromium (apt-get install chromium); without it these tests skip.
Screenshots land in artifacts/screenshots/ for a person to look at.
"""

import base64
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pyotp
import pytest
from django.core.management import call_command

from tests.conftest import ARTIFACTS, CHROMIUM

SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Chromium: {CHROMIUM} is missing (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


def watch(page) -> list:
    """Collect script errors, CSP violations and failed assets of a page, and actions a page
    offered that were then refused.

    The page's own status (a 429 lockout page, a 403 for an address typed in) is the test's
    business; a failed stylesheet, script or image, or a link or form on a page that answers
    403 or 405, is always a defect.
    """
    errors = []

    def on_console(msg):
        # Chromium also logs every 4xx/5xx as a console error; responses are checked below.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(msg.text)

    def on_response(response):
        request = response.request
        if response.status >= 400 and request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")
        # A page that offers what the service refuses: a link followed or a form sent from a
        # page (it has a Referer, unlike an address the test typed) answered 403 or 405.
        referer = request.headers.get("referer")
        if request.resource_type == "document" and response.status in (403, 405) and referer:
            errors.append(
                f"offered, then refused: {request.method} {response.url} answered "
                f"{response.status} (from {referer})"
            )

    def on_request_failed(request):
        # A load cut short by the next navigation is not a defect.
        if request.failure != "net::ERR_ABORTED":
            errors.append(f"failed {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture
def page(page):
    errors = watch(page)
    yield page
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def new_page(browser, browser_context_args):
    """Pages for more people in one test, each in its own browser context (own cookies)."""
    opened = []

    def open_page():
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        opened.append((context, watch(page)))
        return page

    yield open_page
    for context, errors in opened:
        context.close()
        assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def demo_data(transactional_db):
    call_command("load_demo")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, email: str, password: str):
    """Sign in through the form, then pass the second step if the site asks for it: with a
    code made by pyotp from the person's app key, as their phone would make it, or, for
    someone without an app yet, by setting one up from the key the setup page shows."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    pass_second_factor(page, email)


def pass_second_factor(page, email: str):
    path = urlparse(page.url).path
    if path == "/accounts/second-factor/setup/":
        secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
        page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Confirm").click()
        page.get_by_role("link", name="I have kept them: continue").click()
        page.wait_for_load_state()
    elif path == "/accounts/second-factor/verify/":
        page.locator("#id_code").fill(app_code(email))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_load_state()


def app_code(email: str) -> str:
    """The code the person's app shows now, from the key in the database.

    django-otp accepts each time step's code once (`last_t`) and one step either side
    (`tolerance`). A second sign-in within the same 30 seconds therefore uses the next
    step's code, and a third waits until that step is within reach."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email__iexact=email, confirmed=True)
    current = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(current, device.last_t + 1)
    if step > current + device.tolerance:
        time.sleep(
            (step - device.tolerance - device.drift) * device.step + device.t0 - time.time() + 0.5
        )
    secret = base64.b32encode(device.bin_key).decode()
    return pyotp.TOTP(secret, interval=device.step).generate_otp(step)
