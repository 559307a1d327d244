"""Issue 7 in a real browser, on the demo data: a partner's benefits and figures, a
proposal taken to adoption, and the yearly report downloaded."""

import shutil
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_sees_its_benefits_and_its_figures_against_the_baseline(page, demo_data):
    sign_in(page, "officer@acme-imports.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Benefits", exact=True).first.click()
    expect(page.get_by_test_id("catalogue")).to_contain_text("Fewer examinations")
    page.get_by_role("link", name="Benefits of Acme Imports Inc.").click()

    benefits = page.get_by_test_id("partner-benefits")
    fewer = page.get_by_test_id("benefit-fewer-examinations")
    expect(fewer.get_by_test_id("applies")).to_have_text("Applies")
    expect(fewer.get_by_test_id("reason")).to_contain_text("Security Tier 2")
    expect(fewer.get_by_test_id("periods")).to_contain_text("now")
    tier3 = page.get_by_test_id("benefit-expedited-release")
    expect(tier3.get_by_test_id("applies")).to_have_text("Does not apply")
    expect(tier3.get_by_test_id("reason")).to_have_text("Needs Tier 3 (now Tier 2)")
    expect(benefits).to_contain_text("Expedited rulings")

    figures = page.get_by_test_id("partner-figures")
    exam = figures.get_by_test_id("row-examination_rate")
    expect(exam).to_contain_text("Examination rate")
    expect(exam).to_contain_text("%")
    expect(page.get_by_test_id("observations")).to_contain_text("Demo: ACE extract")
    expect(page.get_by_role("img", name="Acme Imports Inc. against non-members")).to_be_visible()
    # The partner does not see CBP's comparison of all members.
    expect(page.get_by_role("link", name="Effectiveness")).to_have_count(0)
    screenshot(page, "benefits-partner")


def test_a_supervisor_takes_a_proposal_through_to_adopted(page, demo_data):
    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    page.goto("/benefits/")
    expect(page.get_by_test_id("headline")).to_contain_text("for Security partners")
    page.get_by_role("link", name="Effectiveness").click()
    expect(page.get_by_test_id("effectiveness")).to_contain_text("Fewer examinations")
    expect(page.get_by_test_id("by-tier")).to_contain_text("Tier 2")
    screenshot(page, "benefits-effectiveness")
    page.goto("/benefits/")
    page.get_by_role("link", name="Proposals").click()
    page.get_by_role("link", name="Propose a benefit").click()
    page.get_by_label("Title").fill("Joint exercises count as the annual review")
    page.get_by_label("Proposed by").select_option(label="Industry (COAC)")
    page.get_by_label("Sponsor").fill("COAC Secure Trade Lanes subcommittee")
    page.get_by_label("Program").select_option(label="Security")
    page.get_by_label("Rationale").fill("Tier 3 partners already run joint exercises with CBP.")
    page.get_by_label("Metric").select_option(label="Hold rate")
    page.get_by_role("button", name="Record the proposal").click()
    expect(page.get_by_test_id("proposal-status")).to_have_text("Proposed")

    # A move the map does not allow is not offered, and is refused when forced.
    expect(page.get_by_role("link", name="Adopt")).to_have_count(0)
    page.get_by_label("Comment").fill("Ask the Tier 3 partners first.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_test_id("comments")).to_contain_text("Ask the Tier 3 partners first.")

    for link, status in [
        ("Start the review", "Under review"),
        ("Start a pilot", "Piloting"),
        ("Adopt", "Adopted"),
    ]:
        page.get_by_role("link", name=link).click()
        page.get_by_label("Reason").fill(f"{status}: agreed at the quarterly meeting")
        page.get_by_role("button", name=link).click()
        expect(page.get_by_test_id("proposal-status")).to_have_text(status)
    expect(page.get_by_test_id("history")).to_contain_text("Piloting → Adopted")
    expect(page.get_by_role("link", name="Decline")).to_have_count(0)
    screenshot(page, "benefits-proposal-adopted")


def test_the_yearly_report_pdf_renders_and_downloads(page, demo_data, tmp_path):
    year = date.today().year  # the demo partners were certified this year
    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    page.goto("/benefits/reports/")
    page.get_by_label("Year").fill(str(year))
    page.get_by_role("button", name="Issue the report").click()
    row = page.get_by_test_id(f"report-{year}-v1")
    expect(row.get_by_test_id("report-status")).to_have_text("Ready", timeout=30_000)
    screenshot(page, "benefits-reports")
    with page.expect_download() as download:
        row.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "benefits.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    with page.expect_download() as download:
        row.get_by_role("link", name="Download CSV").click()
    csv = tmp_path / "benefits.csv"
    download.value.save_as(csv)
    assert "Fewer examinations" in csv.read_text()
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-f",
                "1",
                "-l",
                "2",
                str(pdf),
                str(SCREENSHOTS / "benefits-report-page"),
            ],
            check=True,
        )
