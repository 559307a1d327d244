"""Issue 5's journey in a real browser, on the demo data (Maple Leaf has two documents in)."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot, sign_in
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page, number, path, title="Document 2026", url=None):
    page.get_by_test_id(f"requirement-{number}").get_by_role("link", name="Upload").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Effective date").fill("2026-10-01")
    if url:
        page.get_by_label("Public address of the code of conduct").fill(url)
    page.get_by_label("Files").set_input_files(str(path))
    page.get_by_role("button", name="Submit for review").click()


def test_upload_refused_return_new_version_accept_complete(page, new_page, demo_data, tmp_path):
    good = tmp_path / "document.pdf"
    good.write_bytes(pdf_bytes())
    renamed = tmp_path / "remediation-plan.pdf"
    renamed.write_bytes(b"MZ\x90\x00" + b"\x00" * 300)

    officer = page
    sign_in(officer, "user@mapleleaf.example", DEMO_PASSWORD)
    officer.get_by_test_id("main-nav").get_by_role("link", name="Forced labor").click()
    expect(officer.get_by_role("heading", name="Forced-labor documentation")).to_be_visible()
    expect(officer.get_by_test_id("requirement-2").get_by_test_id("state")).to_have_text("Returned")

    # A renamed executable is refused for its type, with a clear message; nothing is kept.
    upload(officer, 5, renamed)
    expect(
        officer.get_by_text("is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file").first
    ).to_be_visible()
    screenshot(officer, "forced-labor-upload-refused")
    officer.get_by_role("link", name="Cancel").click()
    upload(officer, 5, good, title="Remediation plan")
    upload(officer, 6, good, title="Best practices")
    upload(officer, 2, good, title="Code of conduct, signed", url="https://mapleleaf.example/code")

    # The specialist returns the training evidence with a reason.
    specialist = new_page()
    sign_in(specialist, "specialist@cbp.example", DEMO_PASSWORD)
    specialist.goto("/forced-labor/queue/")
    expect(specialist.get_by_test_id("queue-count")).to_have_text("4 waiting")
    screenshot(specialist, "forced-labor-queue")
    specialist.goto("/partners/?q=Maple")
    specialist.get_by_role("link", name="Maple Leaf Trading Ltd.").click()
    specialist.locator("#main").get_by_role("link", name="Forced labor").click()
    specialist.get_by_test_id("requirement-3").get_by_role("link", name="Review").click()
    specialist.get_by_label("Return to the partner").check()
    specialist.get_by_role("button", name="Record decision").click()
    expect(specialist.get_by_text("Say why the documentation is returned").first).to_be_visible()
    specialist.get_by_label("Reason").fill("The records do not show who attended.")
    specialist.get_by_role("button", name="Record decision").click()

    # The officer sees the reason and uploads a new version.
    officer.reload()
    expect(officer.get_by_test_id("requirement-3")).to_contain_text(
        "The records do not show who attended."
    )
    officer.get_by_test_id("requirement-3").get_by_role("link", name="Upload a new version").click()
    officer.get_by_label("Title").fill("Training records with attendance")
    officer.get_by_label("Effective date").fill("2026-10-15")
    officer.get_by_label("Files").set_input_files(str(good))
    officer.get_by_role("button", name="Submit for review").click()
    expect(officer.get_by_test_id("requirement-3").get_by_test_id("state")).to_have_text(
        "Submitted"
    )

    # The specialist accepts everything waiting; the partner's state becomes complete.
    specialist.goto("/forced-labor/queue/")
    for _ in range(4):
        specialist.get_by_role("link", name="Review").first.click()
        specialist.get_by_label("Accept").check()
        specialist.get_by_role("button", name="Record decision").click()
    expect(specialist.get_by_test_id("queue-count")).to_have_text("0 waiting")
    officer.reload()
    expect(officer.get_by_test_id("overall-state")).to_have_text("Complete")
    screenshot(officer, "forced-labor-complete")

    # The partner's users are told, in the portal as well as by email.
    expect(officer.get_by_test_id("unread-count")).to_be_visible()
    officer.get_by_test_id("notifications-link").click()
    expect(officer.get_by_test_id("notifications")).to_contain_text(
        "Forced-labor documentation returned: Evidence of implementation"
    )
    expect(officer.get_by_test_id("notifications")).to_contain_text(
        "Forced-labor documentation accepted: Remediation plan"
    )
    screenshot(officer, "notifications-partner")
    officer.get_by_role("button", name="Mark all as read").click()
    expect(officer.get_by_test_id("unread-count")).to_have_count(0)
