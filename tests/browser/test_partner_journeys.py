"""Issue 3's journeys, in a real browser on the demo data."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from partners.models import Partner
from tests.browser.conftest import screenshot, sign_in
from tests.factories import accepted_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_creates_a_partner_and_certifies_it_officer_joins_and_reviews_supervisor_reads(
    page, new_page, demo_data
):
    # A specialist creates a partner...
    sign_in(page, "specialist@cbp.example", DEMO_PASSWORD)
    page.get_by_test_id("main-nav").get_by_role("link", name="Partners").click()
    screenshot(page, "partners-list")
    page.get_by_role("link", name="New partner").click()
    page.get_by_label("Legal name").fill("Frontier Cold Storage LLC")
    page.get_by_label("Entity type").select_option(label="Third party logistics provider (3PL)")
    page.get_by_label("Street").fill("77 Harbor Road")
    page.get_by_label("City").fill("Buffalo")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("Security application received on").fill("2026-10-15")
    page.locator("#id_identifiers-0-kind").select_option("ein")
    page.locator("#id_identifiers-0-value").fill("12-345")
    page.get_by_role("button", name="Create partner").click()
    # ... a malformed EIN is explained, and nothing is created ...
    expect(page.get_by_text("An EIN is 9 digits, written 12-3456789.").first).to_be_visible()
    screenshot(page, "partner-create-error")
    page.locator("#id_identifiers-0-value").fill("87-6543210")
    page.get_by_role("button", name="Create partner").click()
    expect(page.get_by_role("heading", name="Frontier Cold Storage LLC")).to_be_visible()
    expect(page.get_by_test_id("enrollment-security")).to_contain_text("Applicant")

    # ... and moves it to certified, giving reasons.
    page.get_by_role("link", name="Start review").click()
    page.get_by_label("Reason").fill("Security profile complete")
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_test_id("enrollment-security")).to_contain_text("Under review")
    # Certification waits for an accepted Security Profile (issue 16): not offered until then.
    expect(page.get_by_role("link", name="Certify (Tier 1)")).to_have_count(0)
    accepted_profile(Partner.objects.get(legal_name="Frontier Cold Storage LLC"))
    page.reload()
    page.get_by_role("link", name="Certify (Tier 1)").click()
    page.get_by_label("Reason").fill("Profile meets the minimum security criteria")
    page.get_by_role("button", name="Certify (Tier 1)").click()
    expect(page.get_by_test_id("enrollment-security")).to_contain_text("Certified (Tier 1)")
    expect(page.get_by_test_id("deadline-validation")).to_contain_text("Initial validation")
    screenshot(page, "partner-certified")

    # The specialist invites Maple Leaf's company officer.
    page.goto("/partners/?q=Maple")
    page.get_by_role("link", name="Maple Leaf Trading Ltd.").click()
    page.get_by_role("link", name="Invite a user").click()
    page.get_by_label("Email").fill("officer@mapleleaf.example")
    page.get_by_label("Role").select_option(label="Company officer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("An invitation is on its way")
    link = re.search(r"https?://\S+/partners/invitations/\S+/", mail.outbox[-1].body).group(0)

    # The officer accepts it, in a browser of their own.
    officer = new_page()
    officer.goto(link)
    expect(officer.get_by_role("heading", name="Join Maple Leaf Trading Ltd.")).to_be_visible()
    officer.get_by_label("Full name").fill("Mia Leaf")
    officer.locator("#id_password1").fill("maple-syrup-season")
    officer.locator("#id_password2").fill("maple-syrup-season")
    officer.get_by_role("button", name="Create account and join").click()
    expect(officer.get_by_role("heading", name="Maple Leaf Trading Ltd.")).to_be_visible()
    nav = officer.get_by_test_id("main-nav")
    expect(nav.get_by_role("link", name="Partners", exact=True)).to_have_count(0)

    # It sees only its own company: another partner's page is not found.
    other = Partner.objects.get(legal_name="Acme Imports Inc.")
    officer.goto(f"/partners/{other.pk}/")
    expect(officer.get_by_role("heading", name="Page not found")).to_be_visible()
    officer.goto("/partners/")
    expect(officer.get_by_role("heading", name="You cannot open this page")).to_be_visible()

    # The annual profile review, whose window is open, is answered on the Security Profile
    # (issue 16: confirm or update each answer; tests/profiles covers the answering).
    nav.get_by_role("link", name="My company").click()
    officer.get_by_role("link", name="Submit annual security profile review").click()
    expect(officer.get_by_role("heading", name="Security Profile", exact=True)).to_be_visible()
    screenshot(officer, "officer-annual-review-profile")

    # The supervisor reads the timeline of both partners.
    supervisor = new_page()
    sign_in(supervisor, "supervisor@cbp.example", DEMO_PASSWORD)
    supervisor.goto("/partners/?q=Frontier")
    supervisor.get_by_role("link", name="Frontier Cold Storage LLC").click()
    supervisor.get_by_role("link", name="Full timeline").click()
    timeline = supervisor.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Security: Under review → Certified")
    expect(timeline).to_contain_text("Profile meets the minimum security criteria")
    expect(timeline).to_contain_text("Casey Specialist")
    screenshot(supervisor, "timeline-new-partner")
    supervisor.goto("/partners/?q=Maple")
    supervisor.get_by_role("link", name="Maple Leaf Trading Ltd.").click()
    timeline = supervisor.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Mia Leaf (Company officer) added as a user")
    expect(timeline).to_contain_text("Invitation sent to officer@mapleleaf.example")
    screenshot(supervisor, "timeline-maple-leaf")


def test_a_supervisor_suspends_and_the_trade_compliance_consequence_shows(page, demo_data):
    sign_in(page, "supervisor@cbp.example", DEMO_PASSWORD)
    page.goto("/partners/?q=Acme")
    page.get_by_role("link", name="Acme Imports Inc.").click()
    page.get_by_test_id("enrollment-security").get_by_role("link", name="Suspend").click()
    page.get_by_role("button", name="Suspend").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("Reason").fill("Narcotics found in a container the partner stuffed")
    page.get_by_label("Security incident or seizure").check()
    page.get_by_label("Date of the suspension letter").fill("2026-11-20")
    page.get_by_role("button", name="Suspend").click()
    expect(page.get_by_test_id("enrollment-security")).to_contain_text("Suspended")
    expect(page.get_by_test_id("enrollment-trade_compliance")).to_contain_text("Suspended")
    expect(page.get_by_test_id("timeline")).to_contain_text("(as a consequence of Security)")
    screenshot(page, "partner-suspended")
