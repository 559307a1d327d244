"""Issue 8 in a real browser: a supervisor filters the dashboard, follows a number to the
list behind it, and downloads the dashboard as PDF."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_filters_and_follows_a_number_to_its_list(page, demo_data):
    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    page.get_by_test_id("main-nav").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Compliance dashboard")).to_be_visible()
    expect(page.get_by_test_id("freshness")).to_contain_text("figures as of")
    screenshot(page, "dashboard-supervisor")

    page.get_by_label("Program", exact=True).select_option("security")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"program=security"))
    expect(page.get_by_test_id("panel-forced_labor")).to_have_count(0)  # Trade Compliance only
    applications = page.get_by_test_id("panel-applications")
    link = applications.get_by_role("row", name=re.compile("30 to 59 days")).get_by_role("link")
    count = link.inner_text()
    assert int(count) > 0
    link.click()
    expect(page.get_by_role("heading", name="Partners")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_contain_text(f"{count} partner")
    expect(page.get_by_label("Condition")).to_have_value("application_30_60")
    screenshot(page, "dashboard-number-to-list")


def test_the_dashboard_pdf_renders_and_downloads(page, demo_data):
    sign_in(page, "admin@cbp.example", DEMO_PASSWORD)
    page.goto("/dashboard/")
    page.get_by_role("button", name="PDF of this dashboard").click()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    path = SCREENSHOTS / "dashboard.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(path),  # noqa: S603,S607
            str(SCREENSHOTS / "dashboard-pdf"),
        ],
        check=True,
    )
