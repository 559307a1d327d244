"""The criteria catalogue page in a real browser: one entity type's subset, by focus area."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_reads_a_brokers_criteria_by_focus_area(page, demo_data):
    sign_in(page, "specialist@cbp.example", DEMO_PASSWORD)
    page.goto("/validations/criteria/")
    expect(page.get_by_test_id("criteria-count")).to_contain_text("113 criteria apply")
    page.get_by_label("Entity type", exact=True).select_option(label="Customs broker")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("criteria-count")).to_contain_text("62 criteria apply")
    expect(page.get_by_test_id("focus-area-3")).to_contain_text("People and Physical Security")
    expect(page.get_by_test_id("criteria-category-6")).to_have_count(0)  # no seals
    expect(page.get_by_test_id("criteria-source")).to_contain_text("project's reading")
    screenshot(page, "criteria-catalogue-broker")
