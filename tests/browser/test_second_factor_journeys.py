import base64
import time

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import app_code, screenshot, sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_sets_up_an_app_then_signs_in_with_its_code(page):
    user = UserFactory(email="casey@example.gov", full_name="Casey Jones")
    page.goto("/accounts/login/?next=/partners/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    screenshot(page, "second-factor-setup")
    page.get_by_label("Code from the app").fill("123456")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    time.sleep(1.1)  # django-otp's throttle: the next check waits a second after a wrong code

    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    screenshot(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page).to_have_url("/partners/")

    page.get_by_test_id("account-menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    screenshot(page, "second-factor-verify")
    device = TOTPDevice.objects.get(user=user)
    assert base64.b32encode(device.bin_key).decode() == secret
    page.locator("#id_code").fill(app_code(user.email))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Welcome, Casey")).to_be_visible()


def test_the_demo_specialist_signs_in_with_a_code_from_pyotp(page, demo_data):
    sign_in(page, "specialist@cbp.example", "ctpat-demo-2026")
    expect(page.get_by_role("heading", name="Welcome, Casey")).to_be_visible()
    # Again within the same 30 seconds: the helper uses the next step's code.
    page.get_by_test_id("account-menu").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "specialist@cbp.example", "ctpat-demo-2026")
    expect(page.get_by_role("heading", name="Welcome, Casey")).to_be_visible()
    page.goto("/accounts/second-factor/")
    expect(page.get_by_test_id("mfa-status")).to_contain_text(
        "0 recovery codes left"
    )  # demo apps come without
    screenshot(page, "second-factor-manage")


def test_the_company_officer_requires_a_second_factor_for_the_company(page):
    officer = MembershipFactory(officer=True, user__full_name="Olive Officer")
    sign_in(page, officer.user.email, PASSWORD)
    page.goto(f"/partners/{officer.partner_id}/")
    page.locator('[data-action="second-factor-require"]').click()
    screenshot(page, "second-factor-company-switch")
    page.get_by_label("Every user of this company must sign in with a second factor").check()
    page.get_by_role("button", name="Save").click()
    # The officer is the first to set it up.
    expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()


def test_an_administrator_resets_a_second_factor_with_a_reason(page):
    UserFactory(administrator=True, email="root@example.gov")
    person = UserFactory(email="lost.phone@example.gov")
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    sign_in(page, "root@example.gov", PASSWORD)
    page.goto(f"/admin/accounts/user/{person.pk}/change/")
    page.get_by_role("link", name="Reset the second factor").click()
    page.get_by_role("button", name="Reset the second factor").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("Reason").fill("Lost phone; identity checked by call-back.")
    screenshot(page, "second-factor-admin-reset")
    page.get_by_role("button", name="Reset the second factor").click()
    expect(page.get_by_text("is reset")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=person).exists()
