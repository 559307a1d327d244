import csv
import io
import uuid

import pytest
from django.urls import reverse

from partners.models import Partner, PartnerIdentifier
from tests.factories import (
    EnrollmentFactory,
    FieldOfficeFactory,
    IdentifierFactory,
    MembershipFactory,
    PartnerFactory,
    SiteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialist(client):
    user = UserFactory(specialist=True)
    client.force_login(user)
    return user


def fill_portfolio(office, count):
    for n in range(count):
        partner = PartnerFactory(field_office=office, security={"validated": n % 2 == 0})
        EnrollmentFactory(partner=partner, trade_accepted=True) if n % 3 == 0 else None
        IdentifierFactory(partner=partner)
        SiteFactory(partner=partner)
        MembershipFactory(partner=partner)


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize(
    "query", ["", "?q=Partner", "?program=security&status=validated&tier=2", "?page=2&sort=-name"]
)
def test_the_partner_list_query_count_does_not_grow_with_rows(
    client, specialist, django_assert_max_num_queries, count, query
):
    fill_portfolio(specialist.field_office, count)
    with django_assert_max_num_queries(15 if "q=" in query else 13):
        response = client.get(reverse("partners:list") + query)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_the_partner_page_query_count_does_not_grow_with_its_records(
    client, specialist, django_assert_max_num_queries, count
):
    partner = PartnerFactory(field_office=specialist.field_office, security={"validated": True})
    EnrollmentFactory(partner=partner, trade_accepted=True)
    for _ in range(count):
        SiteFactory(partner=partner)
        IdentifierFactory(partner=partner)
        MembershipFactory(partner=partner)
    # Other apps add to it: granted extensions and two timeline sources (notifications),
    # two timeline sources (benefits: figures, agency participations).
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    # Five more: earlier attempts, appeals, the appeal-decision deadline, and the timeline's
    # corrective action plans and appeals.
    # Two more since issue 16: the Security Profile's timeline source and its blank-profile
    # deadline kind.
    with django_assert_max_num_queries(40):
        response = client.get(reverse("partners:detail", args=[partner.pk]))
    assert response.status_code == 200


def test_the_list_shows_only_the_specialists_field_office(client, specialist):
    mine = PartnerFactory(field_office=specialist.field_office, legal_name="Mine Co.")
    PartnerFactory(legal_name="Theirs Co.")
    html = client.get(reverse("partners:list")).content.decode()
    assert mine.legal_name in html and "Theirs Co." not in html


def test_search_finds_name_account_number_and_identifier_in_any_layout(client, specialist):
    partner = PartnerFactory(field_office=specialist.field_office, legal_name="Blue Harbor LLC")
    PartnerFactory(field_office=specialist.field_office, legal_name="Other LLC")
    IdentifierFactory(partner=partner, kind="ein", value="12-3456789")
    for text in ("harbor", partner.account_number.lower(), "123456789", "12-3456789"):
        html = client.get(reverse("partners:list"), {"q": text}).content.decode()
        assert "Blue Harbor LLC" in html and "Other LLC" not in html, text


def test_filters_combine_program_status_and_tier(client, specialist):
    office = specialist.field_office
    PartnerFactory(field_office=office, legal_name="Tier Two", security={"validated": True})
    PartnerFactory(field_office=office, legal_name="Tier One", security={"certified": True})
    html = client.get(
        reverse("partners:list"), {"program": "security", "status": "validated", "tier": "2"}
    ).content.decode()
    assert "Tier Two" in html and "Tier One" not in html


def test_sorting_and_pagination(client, specialist):
    for name in ["Bravo", "Alpha", "Charlie"]:
        PartnerFactory(field_office=specialist.field_office, legal_name=name)
    html = client.get(reverse("partners:list"), {"sort": "-name"}).content.decode()
    assert html.index("Charlie") < html.index("Bravo") < html.index("Alpha")


def test_export_gives_the_filtered_list_as_csv(client, specialist):
    partner = PartnerFactory(field_office=specialist.field_office, legal_name="Export Me")
    IdentifierFactory(partner=partner, kind="scac", value="EXPM")
    PartnerFactory(field_office=specialist.field_office, legal_name="Not Me")
    response = client.get(reverse("partners:export"), {"q": "Export"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["account_number", "legal_name"]
    assert [r[1] for r in rows[1:]] == ["Export Me"]
    assert rows[1][-1] == "scac:EXPM"


def create_payload(office, **changes):
    data = {
        "legal_name": "New Partner Corp.",
        "entity_type": "highway_carrier",
        "highway_border": "us_canada",
        "street": "5 Border Way",
        "city": "Buffalo",
        "country": "US",
        "field_office": office.pk,
        "applied_on": "2026-10-01",
        "submission": str(uuid.uuid4()),
        "identifiers-TOTAL_FORMS": "3",
        "identifiers-INITIAL_FORMS": "0",
        "identifiers-0-kind": "scac",
        "identifiers-0-value": "npcx",
        "identifiers-1-kind": "dot",
        "identifiers-1-value": "7654321",
        "identifiers-2-kind": "ein",
        "identifiers-2-value": "",
    }
    return data | changes


def test_a_specialist_creates_a_partner_with_identifiers_and_its_application(client, specialist):
    response = client.post(reverse("partners:create"), create_payload(specialist.field_office))
    partner = Partner.objects.get(legal_name="New Partner Corp.")
    assert response.url == reverse("partners:detail", args=[partner.pk])
    assert sorted(partner.identifiers.values_list("kind", "value")) == [
        ("dot", "7654321"),
        ("scac", "NPCX"),
    ]
    assert partner.account_number.startswith("CT") and len(partner.account_number) == 10
    security = partner.enrollments.get()
    assert (security.program, security.status, str(security.applied_on)) == (
        "security",
        "applicant",
        "2026-10-01",
    )
    assert partner.history.first().history_user == specialist


def test_a_malformed_identifier_is_explained_and_nothing_is_saved(client, specialist):
    payload = create_payload(specialist.field_office, **{"identifiers-0-value": "TOO-LONG1"})
    response = client.post(reverse("partners:create"), payload)
    assert response.status_code == 200
    assert "A SCAC is 2 to 4 letters." in response.content.decode()
    assert not Partner.objects.exists()


def test_a_highway_carrier_needs_its_border(client, specialist):
    payload = create_payload(specialist.field_office, highway_border="")
    response = client.post(reverse("partners:create"), payload)
    assert "A highway carrier needs its border" in response.content.decode()
    assert not Partner.objects.exists()


def test_a_duplicate_identifier_names_the_other_partner_when_visible(client, specialist):
    other = PartnerFactory(field_office=specialist.field_office, legal_name="First Owner")
    IdentifierFactory(partner=other, kind="scac", value="NPCX")
    response = client.post(reverse("partners:create"), create_payload(specialist.field_office))
    html = response.content.decode()
    assert f"SCAC) NPCX already belongs to First Owner ({other.account_number})" in html
    assert Partner.objects.count() == 1


def test_a_duplicate_identifier_of_an_invisible_partner_is_not_named(client, specialist):
    other = PartnerFactory(field_office=FieldOfficeFactory(), legal_name="Secret Owner")
    IdentifierFactory(partner=other, kind="scac", value="NPCX")
    html = client.post(
        reverse("partners:create"), create_payload(specialist.field_office)
    ).content.decode()
    assert "already belongs to another partner in the program" in html
    assert "Secret Owner" not in html


def test_the_same_identifier_twice_in_one_form_is_refused(client, specialist):
    payload = create_payload(
        specialist.field_office,
        **{"identifiers-1-kind": "scac", "identifiers-1-value": "NPCX"},
    )
    html = client.post(reverse("partners:create"), payload).content.decode()
    assert "This identifier is listed twice." in html
    assert not PartnerIdentifier.objects.exists()


def test_an_edit_needs_a_reason_and_the_timeline_shows_before_and_after(client, specialist):
    partner = PartnerFactory(field_office=specialist.field_office, legal_name="Old Name")
    url = reverse("partners:edit", args=[partner.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(legal_name="New Name", country="US", field_office=specialist.field_office.pk)
    missing_reason = client.post(url, data)
    assert "This field is required" in missing_reason.content.decode()
    client.post(url, data | {"reason": "Company renamed after merger"})
    partner.refresh_from_db()
    assert partner.legal_name == "New Name"
    timeline = client.get(reverse("partners:timeline", args=[partner.pk])).content.decode()
    assert "Profile changed" in timeline
    assert "<del>Old Name</del> → <ins>New Name</ins>" in timeline
    assert "Company renamed after merger" in timeline
    assert specialist.full_name in timeline


def test_a_partner_user_sees_the_page_but_cannot_change_it(client):
    membership = MembershipFactory(officer=True)
    client.force_login(membership.user)
    partner = membership.partner
    assert client.get(reverse("partners:detail", args=[partner.pk])).status_code == 200
    assert client.get(reverse("partners:edit", args=[partner.pk])).status_code == 403
    assert client.get(reverse("partners:list")).status_code == 403


def test_my_company_sends_a_single_company_user_to_its_page(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.get(reverse("partners:mine"))
    assert response.url == reverse("partners:detail", args=[membership.partner_id])


def test_a_consultant_sees_the_list_of_companies_served(client):
    first = MembershipFactory(role="consultant", partner__legal_name="One Co.")
    MembershipFactory(role="consultant", user=first.user, partner__legal_name="Two Co.")
    client.force_login(first.user)
    html = client.get(reverse("partners:mine")).content.decode()
    assert "One Co." in html and "Two Co." in html


def test_a_double_submit_of_the_new_partner_form_creates_one_partner(client, specialist):
    payload = create_payload(specialist.field_office)
    client.post(reverse("partners:create"), payload)
    again = client.post(
        reverse("partners:create"),
        payload | {"identifiers-0-value": "npcy", "identifiers-1-value": "7654322"},
    )
    assert "This form was already submitted" in again.content.decode()
    assert Partner.objects.filter(legal_name="New Partner Corp.").count() == 1


def test_a_double_submit_of_a_new_site_adds_one_site(client, specialist):
    partner = PartnerFactory(field_office=specialist.field_office)
    url = reverse("partners:site_add", args=[partner.pk])
    data = {
        "name": "Dock 4",
        "kind": "domestic",
        "street": "4 Pier",
        "city": "Buffalo",
        "country": "US",
        "submission": str(uuid.uuid4()),
    }
    assert client.post(url, data).status_code == 302
    assert "This form was already submitted" in client.post(url, data).content.decode()
    assert partner.sites.count() == 1


def test_a_failed_submit_can_be_corrected_and_sent_again(client, specialist):
    payload = create_payload(specialist.field_office, **{"identifiers-0-value": "bad-scac"})
    client.post(reverse("partners:create"), payload)
    payload["identifiers-0-value"] = "NPCX"
    assert client.post(reverse("partners:create"), payload).status_code == 302


def test_the_export_neutralizes_cells_that_a_spreadsheet_would_run(client, specialist):
    PartnerFactory(field_office=specialist.field_office, legal_name='=HYPERLINK("http://x","y")')
    response = client.get(reverse("partners:export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][1] == '\'=HYPERLINK("http://x","y")'


def test_staff_cannot_move_a_partner_to_another_field_office(client, specialist):
    from ctpat.errors import DomainError
    from partners import services

    partner = PartnerFactory(field_office=specialist.field_office)
    with pytest.raises(DomainError, match="another field office"):
        services.partner_update(
            actor=specialist,
            partner=partner,
            data={"field_office": FieldOfficeFactory()},
            reason="Moving",
        )


def test_the_assigned_specialist_works_in_the_partners_office():
    from ctpat.errors import DomainError
    from partners import services

    admin = UserFactory(administrator=True)
    partner = PartnerFactory()
    outsider = UserFactory(specialist=True)  # another office
    with pytest.raises(DomainError, match="specialist must work in the partner's field office"):
        services.partner_update(
            actor=admin, partner=partner, data={"specialist": outsider}, reason="Assign"
        )


def test_partner_users_do_not_see_waiting_invitations_on_the_timeline(client):
    from django.utils import timezone

    from partners.models import Invitation

    membership = MembershipFactory()
    Invitation.objects.create(
        partner=membership.partner,
        email="secret.invitee@x.example",
        role="user",
        token_digest="1" * 64,
        invited_by=UserFactory(field_office=membership.partner.field_office),
        expires_at=timezone.now(),
    )
    client.force_login(membership.user)
    for name in ("partners:detail", "partners:timeline"):
        html = client.get(reverse(name, args=[membership.partner_id])).content.decode()
        assert "secret.invitee@x.example" not in html


def test_a_future_application_date_is_refused(client, specialist):
    payload = create_payload(specialist.field_office, applied_on="2099-01-01")
    html = client.post(reverse("partners:create"), payload).content.decode()
    assert "The application cannot be dated in the future." in html
    assert not Partner.objects.exists()


def test_a_domestic_site_must_be_in_the_united_states(client, specialist):
    partner = PartnerFactory(field_office=specialist.field_office)
    data = {
        "name": "Plant",
        "kind": "domestic",
        "street": "1 Rd",
        "city": "Shenzhen",
        "country": "CN",
        "submission": str(uuid.uuid4()),
    }
    html = client.post(reverse("partners:site_add", args=[partner.pk]), data).content.decode()
    assert "A site outside the United States is foreign." in html
    assert not partner.sites.exists()


def test_saving_an_unchanged_profile_records_nothing(client, specialist):
    partner = PartnerFactory(field_office=specialist.field_office)
    url = reverse("partners:edit", args=[partner.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(country="US", field_office=specialist.field_office.pk, reason="No change")
    html = client.post(url, data).content.decode()
    assert "Nothing was changed, so nothing was saved." in html
    assert partner.history.count() == 1


def test_a_move_that_is_not_possible_is_not_offered_even_by_url(client, specialist):
    partner = PartnerFactory(field_office=specialist.field_office)
    enrollment = partner.enrollments.get()
    url = reverse("partners:enrollment_move", args=[partner.pk, enrollment.pk, "validate"])
    response = client.get(url, follow=True)
    assert "is not possible now" in response.content.decode()
