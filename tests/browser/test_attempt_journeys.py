"""Issue 15's lifecycle journeys, in a real browser on the demo data: a re-application, a
corrective action plan accepted and the partner reinstated, an appeal decided."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_partner(page, name):
    page.goto(f"/partners/?q={name.split()[0]}")
    page.get_by_role("link", name=name).click()


def test_a_re_application(page, demo_data):
    sign_in(page, "specialist@cbp.example", DEMO_PASSWORD)
    open_partner(page, "Northstar Freight Forwarding")
    security = page.get_by_test_id("enrollment-security")
    expect(security).to_contain_text("Under review")
    expect(page.get_by_test_id("earlier-attempt")).to_have_count(1)
    # The second attempt is rejected too...
    security.get_by_role("link", name="Reject the application").click()
    page.get_by_label("Reason").fill("Seal procedures still missing")
    page.get_by_role("button", name="Reject the application").click()
    expect(security).to_contain_text("Rejected")
    # ... and the partner applies again at once, keeping its account number.
    account = page.get_by_test_id("account-number").inner_text()
    page.get_by_role("link", name="Record a new Security application").click()
    screenshot(page, "reapply-form")
    page.get_by_label("Note").fill("Third application, seal procedures attached")
    page.get_by_role("button", name="Record application").click()
    expect(page.get_by_role("alert")).to_contain_text("new Security application is recorded")
    expect(security).to_contain_text("Applicant")
    expect(page.get_by_test_id("attempt")).to_have_text("3")
    expect(page.get_by_test_id("account-number")).to_have_text(account)
    expect(page.get_by_test_id("earlier-attempt")).to_have_count(2)
    expect(page.get_by_test_id("timeline")).to_contain_text("Security (attempt 3)")
    screenshot(page, "partner-earlier-attempts")


def test_a_corrective_action_plan_accepted_and_the_partner_reinstated(page, new_page, demo_data):
    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    open_partner(page, "Harbor Point Cold Storage")
    security = page.get_by_test_id("enrollment-security")
    expect(security).to_contain_text("Security incident or seizure")
    expect(page.get_by_test_id("plan-status")).to_have_text("Submitted, awaiting CBP")
    expect(security.get_by_role("link", name="Reinstate")).to_have_count(0)
    # The supervisor returns the plan...
    page.get_by_role("link", name="Decide the plan").click()
    screenshot(page, "plan-decide")
    page.get_by_label("Return it for changes").check()
    page.get_by_label("Reason").fill("Name who trains the night guard")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Returned for changes")

    # ... the company officer adds an objective and submits it again ...
    officer = new_page()
    sign_in(officer, "officer@harborpoint.example", DEMO_PASSWORD)
    officer.goto(page.url)
    officer.get_by_role("link", name="Write the corrective action plan").click()
    expect(officer.get_by_role("alert")).to_contain_text("Name who trains the night guard")
    officer.locator("#id_actions-2-objective").fill("Train the night guard on seal checks")
    officer.locator("#id_actions-2-owner").fill("Security manager")
    officer.locator("#id_actions-2-due_on").fill("2027-01-15")
    screenshot(officer, "plan-form")
    officer.get_by_role("button", name="Submit to CBP").click()
    expect(officer.get_by_role("alert")).to_contain_text("submitted to CBP")
    expect(officer.get_by_test_id("plan-status")).to_have_text("Submitted, awaiting CBP")

    # ... the supervisor accepts it and reinstates the partner.
    page.reload()
    page.get_by_role("link", name="Decide the plan").click()
    page.get_by_label("Accept the plan").check()
    page.get_by_label("Reason").fill("Every cause has an owner and a date")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Accepted")
    security.get_by_role("link", name="Reinstate").click()
    page.get_by_label("Reason").fill("Corrective action plan accepted")
    page.get_by_role("button", name="Reinstate").click()
    expect(security).to_contain_text("Validated (Tier 2)")
    expect(page.get_by_test_id("timeline")).to_contain_text("Corrective action plan accepted")
    screenshot(page, "partner-reinstated")


def test_an_appeal_decided(page, demo_data):
    sign_in(page, "supervisor.lb@cbp.example", DEMO_PASSWORD)
    open_partner(page, "Transportes del Norte")
    expect(page.get_by_test_id("appeal-status")).to_have_text("Filed, awaiting CBP's decision")
    expect(page.get_by_test_id("deadline-appeal_decision")).to_contain_text(
        "Decision on the appeal"
    )
    page.get_by_role("link", name="Decide the appeal").click()
    screenshot(page, "appeal-decide")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("Uphold the appeal").check()
    page.get_by_label("Reason").fill("The attachments answer the blank criteria")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("appeal-status")).to_have_text("Upheld")
    expect(page.get_by_test_id("enrollment-security")).to_contain_text("Under review")
    expect(page.get_by_test_id("deadline-appeal_decision")).to_have_count(0)
    expect(page.get_by_role("link", name="Decide the appeal")).to_have_count(0)
    screenshot(page, "appeal-upheld")


def test_plan_evidence_uploaded_by_the_partner_and_opened_by_cbp(
    page, new_page, demo_data, tmp_path
):
    from partners.models import Partner
    from tests.factories import pdf_bytes

    officer = new_page()
    sign_in(officer, "officer@harborpoint.example", DEMO_PASSWORD)
    harbor = Partner.objects.get(legal_name="Harbor Point Cold Storage")
    officer.goto(f"/partners/{harbor.pk}/")
    objectives = officer.get_by_test_id("plan-objective")
    expect(objectives.first).to_contain_text("seal-log-first-week.pdf")
    objectives.nth(1).get_by_role("link", name="Upload evidence").click()
    renamed = tmp_path / "guard-contract.pdf"
    renamed.write_bytes(b"MZ\x90\x00\x03\x00" + b"\x00" * 64)  # a program, renamed
    officer.get_by_label("Evidence documents").set_input_files(str(renamed))
    officer.get_by_role("button", name="Upload").click()
    expect(officer.get_by_text("guard-contract.pdf is not a PDF, Word (DOCX)")).to_be_visible()
    contract = tmp_path / "guard-contract-signed.pdf"
    contract.write_bytes(pdf_bytes())
    officer.get_by_label("Evidence documents").set_input_files(str(contract))
    officer.get_by_role("button", name="Upload").click()
    expect(officer.get_by_role("alert")).to_contain_text("is added as evidence")
    expect(officer.get_by_test_id("plan-objective").nth(1)).to_contain_text(
        "guard-contract-signed.pdf"
    )
    screenshot(officer, "plan-evidence")

    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    open_partner(page, "Harbor Point Cold Storage")
    page.get_by_role("link", name="Decide the plan").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="guard-contract-signed.pdf").click()
    assert download.value.suggested_filename == "guard-contract-signed.pdf"
