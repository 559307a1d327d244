"""Issue 4's whole path in a real browser, on the demo data."""

import shutil
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_request_upload_record_return_approve_download_answer_accept(
    page, new_page, demo_data, tmp_path
):
    # The supervisor plans a revalidation of Acme and assigns the specialist.
    supervisor = page
    sign_in(supervisor, "supervisor@cbp.example", DEMO_PASSWORD)
    supervisor.goto("/partners/?q=Acme")
    supervisor.get_by_role("link", name="Acme Imports Inc.").click()
    supervisor.get_by_role("link", name="Plan a validation").click()
    supervisor.get_by_label("Kind").select_option(label="Revalidation")
    supervisor.get_by_label("Mode").select_option(label="Virtual")
    supervisor.get_by_label("Lead specialist").select_option(label="Casey Specialist")
    # The visit begins today: approval waits for the planned start.
    supervisor.get_by_label("Planned start").fill(date.today().isoformat())
    supervisor.get_by_label("Planned end").fill(date.today().isoformat())
    supervisor.get_by_role("button", name="Plan validation").click()
    expect(supervisor.get_by_test_id("validation-status")).to_have_text("Planned")
    validation_url = supervisor.url

    # The specialist sends the standard document requests.
    specialist = new_page()
    sign_in(specialist, "specialist@cbp.example", DEMO_PASSWORD)
    specialist.goto(validation_url)
    specialist.get_by_role("link", name="Send the document requests").click()
    specialist.get_by_role("button", name="Send the document requests").click()
    expect(specialist.get_by_test_id("validation-status")).to_have_text("Documents requested")

    # The partner uploads them; a renamed executable is refused with a clear message.
    officer = new_page()
    sign_in(officer, "officer@acme-imports.example", DEMO_PASSWORD)
    officer.goto(validation_url)
    fake = tmp_path / "risk-assessment.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    real = tmp_path / "risk-assessment-2026.pdf"
    real.write_bytes(pdf_bytes())
    officer.get_by_test_id("request-1").get_by_role("link", name="Upload").click()
    officer.get_by_label("File").set_input_files(str(fake))
    officer.get_by_role("button", name="Upload").click()
    expect(
        officer.get_by_text("is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file").first
    ).to_be_visible()
    screenshot(officer, "upload-refused")
    officer.get_by_label("File").set_input_files(str(real))
    officer.get_by_role("button", name="Upload").click()
    expect(officer.get_by_test_id("request-1")).to_contain_text("risk-assessment-2026.pdf")

    # The specialist starts, records findings, drafts and submits.
    specialist.reload()
    expect(specialist.get_by_test_id("request-1")).to_contain_text("Uploaded")
    specialist.get_by_role("link", name="Start the validation").click()
    specialist.get_by_role("button", name="Start the validation").click()
    specialist.get_by_role("link", name="Record findings").click()
    for select in specialist.locator("select[name$='-result']").all():
        select.select_option("meets")
    # A Must is rated only as a required action when unmet, a Should only as a
    # recommendation: each row offers what its level allows.
    must = specialist.get_by_test_id("finding-1.4")
    expect(must).to_contain_text("Must")
    must_options = must.locator("select[name$='-result'] option").all_inner_texts()
    assert "Required action" in must_options and "Recommendation" not in must_options
    should = specialist.get_by_test_id("finding-1.1")
    should_options = should.locator("select[name$='-result'] option").all_inner_texts()
    assert "Recommendation" in should_options and "Required action" not in should_options
    must.locator("select[name$='-result']").select_option("required_action")
    must.locator("textarea[name$='-narrative']").fill(
        "The point of contact has had no CTPAT training since 2021."
    )
    screenshot(specialist, "findings-form-grouped")
    specialist.get_by_role("button", name="Save findings").click()
    expect(specialist.get_by_test_id("category-1")).to_contain_text("assessed")
    specialist.get_by_role("link", name="Start drafting the report").click()
    specialist.get_by_role("button", name="Start drafting the report").click()
    specialist.get_by_role("link", name="Submit for supervisor review").click()
    specialist.get_by_role("button", name="Submit for supervisor review").click()
    expect(specialist.get_by_test_id("validation-status")).to_have_text("Supervisor review")

    # The supervisor returns it once, then approves it after resubmission; the submission
    # reached the supervisor as a notification.
    supervisor.goto("/notifications/")
    expect(supervisor.get_by_test_id("notifications")).to_contain_text("waits for your review")
    supervisor.goto(validation_url)
    supervisor.get_by_role("link", name="Return to drafting").click()
    supervisor.get_by_label("What should change").fill("Name the document reviewed for 1.1.")
    supervisor.get_by_role("button", name="Return to drafting").click()
    expect(supervisor.get_by_test_id("validation-status")).to_have_text("Report drafting")
    specialist.reload()
    specialist.get_by_role("link", name="Submit for supervisor review").click()
    specialist.get_by_role("button", name="Submit for supervisor review").click()

    # Approval is blocked while the partner has not answered every request: the page says
    # why and offers no "Approve".
    supervisor.reload()
    expect(supervisor.get_by_test_id("approval-waits")).to_contain_text("still open")
    expect(supervisor.get_by_role("link", name="Approve and issue the report")).to_have_count(0)
    # The specialist withdraws the ones no longer needed, each with a reason.
    specialist.reload()
    withdraw = specialist.get_by_role("link", name="Withdraw")
    while withdraw.count():
        withdraw.first.click()
        specialist.get_by_label("Why it is withdrawn").fill("Reviewed on site during the visit.")
        specialist.get_by_role("button", name="Withdraw the request").click()
    expect(specialist.get_by_test_id("request-2")).to_contain_text("Withdrawn")
    supervisor.reload()
    expect(supervisor.get_by_test_id("approval-waits")).to_have_count(0)
    screenshot(supervisor, "findings-grouped")
    supervisor.get_by_role("link", name="Approve and issue the report").click()
    # The summary by result and level; no Tier 3 while a required action is open.
    expect(supervisor.get_by_test_id("result-counts")).to_contain_text("Required action")
    expect(supervisor.get_by_test_id("tier-3-note")).to_be_visible()
    expect(supervisor.get_by_label("Passed: Tier 3 (exceeds the criteria)")).to_have_count(0)
    supervisor.get_by_label("Passed: Tier 2").check()
    supervisor.get_by_role("button", name="Approve and issue the report").click()
    expect(supervisor.get_by_test_id("validation-status")).to_have_text("Approved (report issued)")
    expect(supervisor.get_by_test_id("report-status")).to_have_text("Ready", timeout=30_000)
    screenshot(supervisor, "validation-approved")

    # The partner downloads the PDF and answers the required action.
    officer.goto(validation_url)
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            [
                "pdftoppm",
                "-r",
                "50",
                "-png",
                "-f",
                "1",
                "-l",
                "3",
                str(pdf),
                str(SCREENSHOTS / "report-page"),
            ],
            check=True,
        )
    expect(officer.get_by_role("heading", name="Required actions")).to_be_visible()
    officer.get_by_test_id("action-1").get_by_role("link", name="Answer").click()
    officer.get_by_label("Corrective action taken").fill(
        "Our new CEO signed the security statement on November 20."
    )
    officer.get_by_role("button", name="Send response").click()
    expect(officer.get_by_test_id("action-status")).to_have_text("Response submitted")

    # The specialist accepts the answer.
    specialist.goto(validation_url)
    specialist.get_by_test_id("action-1").get_by_role("link", name="Decide").click()
    specialist.get_by_label("Accept the response").check()
    specialist.get_by_role("button", name="Record decision").click()
    expect(specialist.get_by_test_id("action-status")).to_have_text("Accepted")
    screenshot(specialist, "validation-action-accepted")

    # The partner's timeline shows the validation.
    specialist.goto("/partners/?q=Acme")
    specialist.get_by_role("link", name="Acme Imports Inc.").click()
    expect(specialist.get_by_test_id("timeline")).to_contain_text(
        "Security: Validated → Validated, Tier 2"
    )
    expect(specialist.get_by_test_id("timeline")).to_contain_text(
        "Revalidation: Supervisor review → Approved"
    )


def test_a_failed_validation_becomes_a_proposal_the_supervisor_confirms(page, new_page, demo_data):
    supervisor = page
    sign_in(supervisor, "supervisor@cbp.example", DEMO_PASSWORD)
    supervisor.goto("/partners/?q=Acme")
    supervisor.get_by_role("link", name="Acme Imports Inc.").click()
    partner_url = supervisor.url
    supervisor.get_by_role("link", name="Plan a validation").click()
    supervisor.get_by_label("Kind").select_option(label="Revalidation")
    supervisor.get_by_label("Lead specialist").select_option(label="Casey Specialist")
    supervisor.get_by_label("Planned start").fill(date.today().isoformat())
    supervisor.get_by_label("Planned end").fill(date.today().isoformat())
    supervisor.get_by_role("button", name="Plan validation").click()
    validation_url = supervisor.url

    # The specialist sends the requests, then withdraws them, records the findings (a Must
    # unmet) and submits.
    specialist = new_page()
    sign_in(specialist, "specialist@cbp.example", DEMO_PASSWORD)
    specialist.goto(validation_url)
    specialist.get_by_role("link", name="Send the document requests").click()
    specialist.get_by_role("button", name="Send the document requests").click()
    withdraw = specialist.get_by_role("link", name="Withdraw")
    while withdraw.count():
        withdraw.first.click()
        specialist.get_by_label("Why it is withdrawn").fill("Reviewed on site.")
        specialist.get_by_role("button", name="Withdraw the request").click()
    specialist.get_by_role("link", name="Start the validation").click()
    specialist.get_by_role("button", name="Start the validation").click()
    specialist.get_by_role("link", name="Record findings").click()
    for select in specialist.locator("select[name$='-result']").all():
        select.select_option("meets")
    must = specialist.get_by_test_id("finding-1.4")
    must.locator("select[name$='-result']").select_option("required_action")
    must.locator("textarea[name$='-narrative']").fill("No one holds the CTPAT role.")
    specialist.get_by_role("button", name="Save findings").click()
    specialist.get_by_role("link", name="Start drafting the report").click()
    specialist.get_by_role("button", name="Start drafting the report").click()
    specialist.get_by_role("link", name="Submit for supervisor review").click()
    specialist.get_by_role("button", name="Submit for supervisor review").click()

    # The supervisor approves it as failed: a Security suspension is proposed, nothing more.
    supervisor.goto(validation_url)
    supervisor.get_by_role("link", name="Approve and issue the report").click()
    supervisor.get_by_label("Failed: propose a Security suspension").check()
    supervisor.get_by_role("button", name="Approve and issue the report").click()
    expect(supervisor.get_by_test_id("validation-status")).to_have_text("Approved (report issued)")
    supervisor.goto("/deadlines/consequences/")
    # The demo's own failed validation (Maple Leaf) waits there too: this one is Acme's.
    proposal = (
        supervisor.get_by_test_id("consequences")
        .locator("li", has_text="cause: failed validation")
        .filter(has_text="Acme Imports Inc.")
    )
    expect(proposal).to_have_count(1)
    screenshot(supervisor, "failed-validation-proposal")
    proposal.get_by_label("Reason").fill("Failed revalidation: no CTPAT point of contact.")
    proposal.get_by_role("button", name="Confirm").click()
    expect(supervisor.get_by_role("table")).to_contain_text("Confirmed")
    supervisor.goto(partner_url)
    expect(supervisor.get_by_test_id("timeline")).to_contain_text("Suspended")
