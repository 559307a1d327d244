"""Issue 8's home pages in a real browser, on the demo data."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_sees_its_own_work(page, demo_data):
    sign_in(page, "specialist@cbp.example", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Casey", level=1)).to_be_visible()
    expect(page.get_by_text("My work", exact=True)).to_be_visible()
    partners = page.get_by_test_id("my-partners")
    expect(partners.get_by_role("link", name="Acme Imports Inc.")).to_be_visible()
    expect(partners).to_contain_text("Validated (Tier 2)")
    # Long Beach's partners belong to another specialist.
    expect(page.get_by_text("Pacific Gateway Imports")).to_have_count(0)
    overdue = page.locator("section").filter(has=page.locator("#overdue-heading"))
    expect(overdue.get_by_role("table")).to_be_visible()
    expect(overdue).to_contain_text("overdue")
    screenshot(page, "home-page-specialist")

    # A deadline links to where it is met.
    overdue.get_by_role("row").nth(1).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_partner_sees_only_its_own_home(page, demo_data):
    sign_in(page, "officer@acme-imports.example", DEMO_PASSWORD)
    company = page.get_by_test_id("company")
    expect(company).to_have_count(1)
    expect(company.get_by_role("heading", name="Acme Imports Inc.")).to_be_visible()
    expect(company.get_by_test_id("programs")).to_contain_text("Validated (Tier 2)")
    expect(company.get_by_test_id("deadlines")).to_be_visible()
    expect(company.get_by_test_id("benefits")).to_be_visible()
    expect(page.get_by_text("Pacific Gateway")).to_have_count(0)
    screenshot(page, "home-page-partner")

    company.get_by_role("link", name="Company page").click()
    expect(page.get_by_role("heading", name="Acme Imports Inc.")).to_be_visible()


def test_a_consultant_sees_each_of_its_companies(page, demo_data):
    sign_in(page, "consultant@tradeready.example", DEMO_PASSWORD)
    expect(page.get_by_test_id("company")).to_have_count(2)
    expect(page.get_by_role("heading", name="Pacific Gateway Imports")).to_be_visible()
    expect(page.get_by_role("heading", name="Acme Imports Inc.")).to_be_visible()
    expect(page.get_by_text("Maple Leaf")).to_have_count(0)
    screenshot(page, "home-page-consultant")


def test_a_supervisor_sees_decisions_and_the_dashboard_link(page, demo_data):
    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    expect(page.get_by_role("link", name="Open the dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Consequences awaiting a decision")).to_be_visible()
    screenshot(page, "home-page-supervisor")


def test_a_supervisor_sees_the_validation_awaiting_its_review_and_opens_it(page, demo_data):
    """Issue 15: reviews have a queue. The demo's Northern Freight validation, submitted for
    review (moved there directly: the journey is the supervisor's), is on the home page."""
    from accounts.models import User
    from validations.models import Validation

    supervisor = User.objects.get(email="supervisor@cbp.example")
    waiting = Validation.objects.filter(enrollment__partner__legal_name="Northern Freight Lines")
    assert waiting.update(status="supervisor_review", approving_supervisor=supervisor) == 1

    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    expect(page.get_by_test_id("count-reviews")).to_contain_text("1")
    reviews = page.get_by_test_id("reviews")
    expect(reviews).to_contain_text("Northern Freight Lines")
    expect(reviews).to_contain_text("led by")
    screenshot(page, "home-page-supervisor-reviews")

    reviews.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northern Freight Lines")
    expect(page.get_by_role("link", name="Return to drafting")).to_be_visible()
