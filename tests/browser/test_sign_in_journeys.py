import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, PEOPLE
from accounts.navigation import NAVIGATION
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("email,full_name,role", [(e, n, r) for e, n, r, _ in PEOPLE])
def test_each_demo_role_signs_in_sees_its_navigation_and_signs_out(
    page, demo_data, email, full_name, role
):
    sign_in(page, email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name=f"Welcome, {full_name.split()[0]}")).to_be_visible()
    nav = page.get_by_test_id("main-nav")
    for item in NAVIGATION:
        link = nav.get_by_role("link", name=item.label, exact=True)
        if role in item.roles:
            expect(link).to_be_visible()
        else:
            expect(link).to_have_count(0)
    screenshot(page, f"home-{role}")

    page.get_by_test_id("account-menu").click()
    expect(page.get_by_test_id("signed-in-as")).to_be_visible()
    screenshot(page, f"account-menu-{role}")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")


def test_a_wrong_password_shows_a_clear_message(page, demo_data):
    sign_in(page, "specialist@cbp.example", "not-my-password")
    expect(page.get_by_role("alert")).to_contain_text("The email address or password is not right.")
    screenshot(page, "login-wrong-password")


def test_the_sixth_wrong_password_locks_the_account(page, demo_data):
    for _ in range(5):
        sign_in(page, "specialist@cbp.example", "not-my-password")
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    sign_in(page, "specialist@cbp.example", "not-my-password")
    expect(page.get_by_test_id("locked-out")).to_contain_text(
        "This account is locked after 5 failed sign-in attempts"
    )
    screenshot(page, "login-locked")
    # Even the right password is refused while the lock lasts.
    sign_in(page, "specialist@cbp.example", DEMO_PASSWORD)
    expect(page.get_by_test_id("locked-out")).to_be_visible()


def test_on_a_phone_the_navigation_folds_behind_a_menu_button(page, demo_data):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    dashboard = page.get_by_test_id("main-nav").get_by_role("link", name="Dashboard")
    expect(dashboard).to_be_hidden()
    page.get_by_role("button", name="Show or hide navigation").click()
    expect(dashboard).to_be_visible()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    screenshot(page, "home-supervisor-phone")
    dashboard.click()
    expect(page.get_by_role("heading", name="Compliance dashboard")).to_be_visible()


def test_the_administrator_works_in_the_admin_site_under_the_csp(page, demo_data):
    sign_in(page, "admin@cbp.example", DEMO_PASSWORD)
    page.get_by_test_id("main-nav").get_by_role("link", name="Administration").click()
    expect(page).to_have_title(re.compile("CTPAT administration"))
    page.get_by_role("link", name="Users").first.click()
    expect(page.get_by_role("link", name="specialist@cbp.example")).to_be_visible()
    page.get_by_role("link", name="specialist@cbp.example").click()
    expect(page.get_by_label("Full name")).to_have_value("Casey Specialist")
    screenshot(page, "admin-user-change")
