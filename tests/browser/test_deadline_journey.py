"""Issue 6 in a real browser: a partner asks for more time, the specialist grants it, the
partner is told; a supervisor decides a proposed consequence."""

import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_extension_asked_granted_and_seen_by_both_sides(page, new_page, demo_data):
    officer = page
    sign_in(officer, "user@mapleleaf.example", DEMO_PASSWORD)
    officer.get_by_test_id("main-nav").get_by_role("link", name="My company").click()
    deadlines = officer.locator("#deadlines-heading").locator("..")
    deadlines.get_by_role("link", name="Ask for more time").first.click()
    expect(officer.get_by_role("heading", name=re.compile("Ask for more time"))).to_be_visible()
    officer.get_by_label("New due date you ask for").fill("2020-01-01")
    officer.get_by_label("Why more time is needed").fill("Our auditor is booked until spring.")
    officer.get_by_role("button", name="Send the request").click()
    expect(officer.get_by_text("Ask for a date in the future").first).to_be_visible()
    intro = officer.get_by_text(re.compile(r"Currently due on")).inner_text()
    due = datetime.strptime(re.search(r"due on (\w+ \d+, \d{4})", intro)[1], "%B %d, %Y")
    wanted = max(due.date(), date.today()) + timedelta(days=60)
    officer.get_by_label("New due date you ask for").fill(wanted.isoformat())
    officer.get_by_role("button", name="Send the request").click()
    expect(officer.get_by_text(re.compile("went to CBP"))).to_be_visible()
    screenshot(officer, "deadline-extension-asked")

    specialist = new_page()
    sign_in(specialist, "specialist@cbp.example", DEMO_PASSWORD)
    expect(specialist.get_by_test_id("unread-count")).to_be_visible()
    specialist.get_by_test_id("notifications-link").click()
    specialist.get_by_test_id("notifications").get_by_role("listitem").filter(
        has_text="Extension asked"
    ).filter(has_text="Maple Leaf").get_by_role("button", name="Open").click()
    expect(specialist.get_by_role("heading", name=re.compile("More time on"))).to_be_visible()
    specialist.get_by_label("Note to the partner").fill("Granted once; please plan ahead.")
    screenshot(specialist, "deadline-extension-decide")
    specialist.get_by_role("button", name="Record the decision").click()
    expect(specialist.get_by_test_id("extension-status")).to_contain_text("Granted")

    officer.reload()
    expect(officer.get_by_test_id("unread-count")).to_be_visible()
    officer.get_by_test_id("notifications-link").click()
    expect(
        officer.get_by_text(f"Extension granted to {wanted:%B %-d, %Y}", exact=False)
    ).to_be_visible()
    screenshot(officer, "deadline-partner-notifications")
    officer.get_by_test_id("main-nav").get_by_role("link", name="My company").click()
    expect(officer.get_by_text("extended from").first).to_be_visible()


def test_a_supervisor_confirms_a_proposed_consequence(page, demo_data):
    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    page.goto("/deadlines/consequences/")
    proposals = page.get_by_test_id("consequences").get_by_role("listitem")
    expect(proposals.first).to_be_visible()
    screenshot(page, "deadline-consequences")
    count = proposals.count()
    first = proposals.first
    first.get_by_role("button", name="Dismiss").click()  # no reason: the browser asks for one
    expect(proposals).to_have_count(count)
    first.get_by_label("Reason").fill("Spoke to the partner; documents arrive this week.")
    first.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text(re.compile(": dismissed\\."))).to_be_visible()
    expect(page.get_by_role("heading", name="Recently decided")).to_be_visible()
