"""An administrator reads the audit log: finds their own sign-in, then downloads the CSV."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_searches_the_audit_log_and_downloads_it(page, demo_data):
    sign_in(page, "admin@cbp.example", "ctpat-demo-2026")
    page.get_by_role("link", name="Audit log").first.click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()

    page.get_by_label("Event").select_option(label="Signed in")
    page.get_by_role("button", name="Search").click()
    rows = page.get_by_test_id("audit-events").locator("tbody tr")
    expect(rows.first).to_contain_text("admin@cbp.example")
    expect(rows.first).to_contain_text("Signed in")
    screenshot(page, "audit-log-search")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert text.startswith("At,Actor,IP address")
    assert "admin@cbp.example" in text and "sign_in" in text
