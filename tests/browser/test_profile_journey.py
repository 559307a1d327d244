"""Issue 16's whole path in a real browser, on the demo data: the partner drafts its Security
Profile, saves, resumes, signs and submits; the specialist returns one criterion; the partner
answers it and submits again; the specialist accepts; the supervisor certifies."""

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from partners.models import Membership, Partner
from profiles import services
from profiles.models import SecurityProfile
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNER = "Great Lakes Customs Brokerage"  # under review in the demo, no profile yet
OFFICER = "officer@greatlakes.example"


def _officer_of_great_lakes():
    partner = Partner.objects.get(legal_name=PARTNER)
    user = User.objects.create_user(
        OFFICER, DEMO_PASSWORD, full_name="Gail Lakes", role=Role.PARTNER
    )
    Membership.objects.create(partner=partner, user=user, role="company_officer")
    return partner, user


def _answer_the_rest(profile_id, user):
    """The answers not given in the browser, as if over several sessions, through the same
    service the answer page calls (answering every criterion by hand would be a long test)."""
    profile = SecurityProfile.objects.get(pk=profile_id)
    for answer in profile.answers.filter(implemented="").select_related("profile__partner"):
        services.answer_save(
            actor=user,
            answer=answer,
            data={"implemented": "yes", "narrative": "Written procedure, checked yearly."},
        )


def _accept_all_but(profile_id, specialist_email, code=None):
    profile = SecurityProfile.objects.get(pk=profile_id)
    specialist = User.objects.get(email=specialist_email)
    for answer in profile.answers.filter(review="").select_related(
        "profile__partner", "criterion_version__criterion"
    ):
        if answer.criterion_version.criterion.code != code:
            services.answer_review(actor=specialist, answer=answer, accept=True)


def test_draft_resume_sign_return_answer_accept_certify(page, new_page, demo_data):
    partner, _ = _officer_of_great_lakes()
    officer = page
    sign_in(officer, OFFICER, DEMO_PASSWORD)
    officer.goto(f"/partners/{partner.pk}/")
    officer.get_by_role("link", name="Security Profile").first.click()
    officer.get_by_role("button", name="Start the Security Profile").click()
    expect(officer.get_by_test_id("profile-status")).to_have_text("Draft")

    # The first answer, saved with "answer the next"; the second flagged to answer later.
    officer.locator('[data-action="answer-edit"]').first.click()
    expect(officer.get_by_test_id("level")).to_be_visible()
    officer.get_by_label("Yes", exact=True).check()
    officer.get_by_label("How it is met").fill("Business partners screened before contract.")
    officer.get_by_label("Owner").fill("Compliance manager")
    screenshot(officer, "profile-answer-form")
    officer.get_by_role("button", name="Save and answer the next").click()
    officer.get_by_label("Answer later").check()
    officer.get_by_role("button", name="Save", exact=True).click()
    expect(officer.get_by_role("alert").first).to_contain_text("is saved")
    expect(officer.get_by_test_id("progress")).to_contain_text("1 of")
    expect(officer.get_by_test_id("answer-later")).to_have_count(1)
    screenshot(officer, "profile-draft-by-category")

    # Resumed later from the profile's page.
    profile_url = officer.url.split("#")[0]
    profile_id = int(profile_url.rstrip("/").split("/")[-1])
    officer.goto(f"/profiles/partners/{partner.pk}/")
    officer.get_by_role("link", name="Resume version 1").click()
    expect(officer.get_by_test_id("progress")).to_contain_text("1 of")
    _answer_the_rest(profile_id, User.objects.get(email=OFFICER))

    # The officer signs and submits.
    officer.reload()
    officer.get_by_role("link", name="Sign and submit").click()
    officer.get_by_label("Your name").fill("Gail Lakes")
    officer.get_by_label("Your title").fill("President")
    officer.get_by_label("Partner agreement").select_option("2020-03")
    officer.get_by_label("As company officer I sign").check()
    screenshot(officer, "profile-sign")
    officer.get_by_role("button", name="Sign and submit").click()
    expect(officer.get_by_role("alert").first).to_contain_text("signed and submitted")
    expect(officer.get_by_test_id("version-1").get_by_test_id("status")).to_have_text("Submitted")

    # The supervisor cannot certify yet: the partner page says why.
    supervisor = new_page()
    sign_in(supervisor, "supervisor@cbp.example", DEMO_PASSWORD)
    supervisor.goto(f"/partners/{partner.pk}/")
    security = supervisor.get_by_test_id("enrollment-security")
    expect(security.get_by_test_id("move-hold")).to_contain_text(
        "Certification needs an accepted Security Profile"
    )
    expect(security.locator('[data-action="enrollment-certify"]')).to_have_count(0)

    # The specialist returns one criterion with a comment.
    specialist = new_page()
    sign_in(specialist, "specialist@cbp.example", DEMO_PASSWORD)
    specialist.goto("/profiles/queue/")
    specialist.get_by_role("link", name=PARTNER).click()
    first = specialist.locator('[data-testid^="answer-"]').first
    code = first.get_attribute("data-testid").removeprefix("answer-")
    first.get_by_label("Needs more information").check()
    first.get_by_label("Comment").fill("Attach the screening checklist.")
    first.get_by_role("button", name="Record").click()
    _accept_all_but(profile_id, "specialist@cbp.example", code)
    specialist.reload()
    screenshot(specialist, "profile-review")
    specialist.get_by_role("button", name="Finish the review").click()
    expect(specialist.get_by_test_id("profile-status")).to_have_text("Returned")

    # The partner answers that criterion alone and submits again.
    officer.goto(f"/profiles/partners/{partner.pk}/")
    officer.get_by_role("button", name="Answer the returned criteria").click()
    expect(officer.locator('[data-action="answer-edit"]')).to_have_count(1)
    officer.locator('[data-action="answer-edit"]').click()
    expect(officer.get_by_test_id("cbp-comment")).to_contain_text("screening checklist")
    officer.get_by_label("How it is met").fill("Screening checklist attached to each contract.")
    officer.get_by_role("button", name="Save", exact=True).click()
    officer.get_by_role("link", name="Sign and submit").click()
    officer.get_by_label("Your name").fill("Gail Lakes")
    officer.get_by_label("Your title").fill("President")
    officer.get_by_label("Partner agreement").select_option("2020-03")
    officer.get_by_label("As company officer I sign").check()
    officer.get_by_role("button", name="Sign and submit").click()
    expect(officer.get_by_test_id("version-2").get_by_test_id("status")).to_have_text("Submitted")

    # The specialist reviews the one changed answer and accepts the profile.
    specialist.goto("/profiles/queue/")
    specialist.get_by_role("link", name=PARTNER).click()
    changed = specialist.get_by_test_id(f"answer-{code}")
    changed.get_by_label("Accepted").check()
    changed.get_by_role("button", name="Record").click()
    specialist.get_by_role("button", name="Finish the review").click()
    expect(specialist.get_by_test_id("profile-status")).to_have_text("Accepted")
    specialist.get_by_role("link", name="Changes since version 1").click()
    expect(specialist.get_by_test_id("diff")).to_contain_text(code)
    screenshot(specialist, "profile-diff")

    # The supervisor certifies.
    supervisor.reload()
    security = supervisor.get_by_test_id("enrollment-security")
    security.locator('[data-action="enrollment-certify"]').click()
    supervisor.get_by_label("Reason").fill("Security Profile accepted")
    supervisor.get_by_role("button", name="Certify (Tier 1)").click()
    expect(supervisor.get_by_test_id("enrollment-security")).to_contain_text("Certified")
    screenshot(supervisor, "profile-partner-certified")
