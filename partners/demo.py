"""Demo partners: every entity type and every status, in two field offices, with users.

Built through the services, so each partner has a real timeline. Dates are relative to
today, so the deadlines on the pages look the same whenever the demo is loaded.
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.choices import Role
from accounts.demo import DEMO_PASSWORD
from accounts.models import FieldOffice, User
from ctpat.registry import registry

from . import services
from .choices import ELIGIBILITY_QUESTIONS, MembershipRole, Program, SuspensionCause
from .models import Appeal, CorrectiveActionPlan, Enrollment, Partner

# legal name, entity type, border, office, country, city, security path, TC path, identifiers
PARTNERS = [
    (
        "Acme Imports Inc.",
        "us_importer",
        "",
        "buffalo",
        "US",
        "Buffalo",
        "validated2",
        "accepted",
        [("ior", "12-345678900"), ("ein", "12-3456789")],
    ),
    (
        "Maple Leaf Trading Ltd.",
        "ca_importer",
        "",
        "buffalo",
        "CA",
        "Toronto",
        "validated3",
        "applicant",
        [("ior", "98-765432100"), ("bond", "457A12345")],
    ),
    (
        "Northern Freight Lines",
        "highway_carrier",
        "us_canada",
        "buffalo",
        "US",
        "Rochester",
        "certified",
        "",
        [("scac", "NFLX"), ("dot", "1234567")],
    ),
    (
        "Great Lakes Customs Brokerage",
        "customs_broker",
        "",
        "buffalo",
        "US",
        "Cleveland",
        "under_review",
        "",
        [("ein", "34-5678901")],
    ),
    (
        "Niagara Export Co.",
        "exporter",
        "",
        "buffalo",
        "US",
        "Niagara Falls",
        "applicant",
        "",
        [("ein", "45-6789012"), ("duns", "123456789")],
    ),
    (
        "Lakeshore Logistics LLC",
        "third_party_logistics",
        "",
        "buffalo",
        "US",
        "Erie",
        "suspended",
        "",
        [("ein", "56-7890123")],
    ),
    (
        "Pacific Gateway Imports",
        "us_importer",
        "",
        "long-beach",
        "US",
        "Long Beach",
        "validated2",
        "suspended",
        [("ior", "23-456789000"), ("ein", "23-4567890")],
    ),
    (
        "Sierra Home Goods",
        "us_importer",
        "",
        "long-beach",
        "US",
        "Fresno",
        "validated2",
        "under_review",
        [("ior", "67-890123400")],
    ),
    (
        "Harbor Terminal Operators",
        "mpto",
        "",
        "long-beach",
        "US",
        "San Pedro",
        "validated3",
        "",
        [("fmc", "012345")],
    ),
    (
        "Transpacific Ocean Carriers",
        "sea_carrier",
        "",
        "long-beach",
        "US",
        "Oakland",
        "certified",
        "",
        [("scac", "TPOC"), ("fmc", "023456")],
    ),
    (
        "SkyBridge Air Cargo",
        "air_carrier",
        "",
        "long-beach",
        "US",
        "Los Angeles",
        "validated2",
        "",
        [("iata", "5S")],
    ),
    (
        "Coastal Rail Services",
        "rail_carrier",
        "",
        "long-beach",
        "US",
        "Stockton",
        "withdrawn",
        "",
        [("scac", "CRSX")],
    ),
    (
        "Manufacturas del Bajío S.A. de C.V.",
        "foreign_manufacturer",
        "",
        "long-beach",
        "MX",
        "León",
        "certified",
        "",
        [("rfc", "MBA150301AB1"), ("mid", "MXMANBAJ1234LEO")],
    ),
    (
        "Transportes del Norte",
        "mx_long_haul_carrier",
        "",
        "long-beach",
        "MX",
        "Monterrey",
        "rejected",
        "",
        [("rfc", "TNO980715XY2")],
    ),
    (
        "Pacific Consolidators Inc.",
        "consolidator",
        "",
        "long-beach",
        "US",
        "Carson",
        "removed",
        "",
        [("fmc", "034567")],
    ),
    (
        "Harbor Point Cold Storage",
        "third_party_logistics",
        "",
        "buffalo",
        "US",
        "Buffalo",
        "suspended",  # answered with a corrective action plan: see _attempts_plans_appeals
        "",
        [("ein", "61-2345678")],
    ),
    (
        "Northstar Freight Forwarding",
        "consolidator",
        "",
        "buffalo",
        "US",
        "Niagara Falls",
        "rejected",  # applies again at once: see _attempts_plans_appeals
        "",
        [("fmc", "045678")],
    ),
    (
        "Peace Bridge Brokerage LLC",
        "customs_broker",
        "",
        "buffalo",
        "US",
        "Buffalo",
        "rejected",  # appeals the rejection: see _attempts_plans_appeals
        "",
        [("ein", "72-3456789")],
    ),
    (
        "Border Express Trucking",
        "highway_carrier",
        "us_mexico",
        "long-beach",
        "US",
        "Calexico",
        "under_review",
        "",
        [("scac", "BEXT"), ("dot", "2345678")],
    ),
]

# email, name, memberships [(partner, role)]
PARTNER_USERS = [
    (
        "officer@acme-imports.example",
        "Olivia Officer",
        [("Acme Imports Inc.", MembershipRole.COMPANY_OFFICER)],
    ),
    (
        "consultant@tradeready.example",
        "Chris Consultant",
        [
            ("Acme Imports Inc.", MembershipRole.CONSULTANT),
            ("Pacific Gateway Imports", MembershipRole.CONSULTANT),
        ],
    ),
    (
        "officer@pacificgateway.example",
        "Paula Gateway",
        [("Pacific Gateway Imports", MembershipRole.COMPANY_OFFICER)],
    ),
    ("user@mapleleaf.example", "Marc Leaf", [("Maple Leaf Trading Ltd.", MembershipRole.USER)]),
    (
        "officer@harborpoint.example",
        "Hank Harbor",
        [("Harbor Point Cold Storage", MembershipRole.COMPANY_OFFICER)],
    ),
    (
        "officer@transportesdelnorte.example",
        "Teresa Norte",
        [("Transportes del Norte", MembershipRole.COMPANY_OFFICER)],
    ),
    (
        "officer@peacebridge.example",
        "Pat Bridge",
        [("Peace Bridge Brokerage LLC", MembershipRole.COMPANY_OFFICER)],
    ),
]
# (partner, its officer, grounds): rejections appealed, one in each field office.
APPEALS = [
    (
        "Transportes del Norte",
        "officer@transportesdelnorte.example",
        "The criteria left blank were answered in the attachments we sent by email on the "
        "same day; we ask that the profile be reviewed with them.",
    ),
    (
        "Peace Bridge Brokerage LLC",
        "officer@peacebridge.example",
        "Our security profile was complete; the criteria marked blank are answered in the "
        "procedures manual uploaded with it (sections 4 to 7).",
    ),
]


def _attempts_plans_appeals(staff, today) -> None:
    """A second attempt, a suspension answered by a corrective action plan (with evidence
    uploaded for one objective), and appeals of rejections waiting for CBP (issue 15).
    Each only once."""
    buffalo = staff["buffalo"]
    northstar = Partner.objects.get(legal_name="Northstar Freight Forwarding")
    if not Enrollment.attempts.filter(partner=northstar, attempt=2).exists():
        services.enrollment_reapply(
            partner=northstar,
            actor=buffalo["specialist"],
            reason="A new application with a complete security profile",
        )
        services.enrollment_start_review(
            enrollment=northstar.enrollments.get(program=Program.SECURITY),
            actor=buffalo["specialist"],
            reason="Profile complete this time; review started",
        )
    harbor = Partner.objects.get(legal_name="Harbor Point Cold Storage")
    security = harbor.enrollments.get(program=Program.SECURITY)
    if not CorrectiveActionPlan.objects.filter(enrollment=security).exists():
        services.corrective_action_plan_save(
            enrollment=security,
            actor=User.objects.get(email="officer@harborpoint.example"),
            summary="An unsealed trailer left the yard; seals are now checked by two people "
            "and logged, and the yard gate is staffed at night.",
            actions=[
                {
                    "objective": "Two-person seal verification at loading, logged",
                    "owner": "Dock supervisor",
                    "due_on": today + timedelta(days=30),
                    "note": "Seal log for the first month",
                },
                {
                    "objective": "Night guard at the yard gate",
                    "owner": "Facilities manager",
                    "due_on": today + timedelta(days=45),
                    "note": "Guard contract and patrol records",
                },
            ],
            submit=True,
        )
    plan = CorrectiveActionPlan.objects.filter(enrollment=security).first()
    first = plan.actions.order_by("pk").first() if plan else None
    if first is not None and not first.evidence.exists():
        services.corrective_action_evidence_add(
            action=first,
            actor=User.objects.get(email="officer@harborpoint.example"),
            files=[ContentFile(_seal_log_pdf(), name="seal-log-first-week.pdf")],
        )
    for name, email, grounds in APPEALS:
        rejected = Partner.objects.get(legal_name=name).enrollments.get(program=Program.SECURITY)
        if not Appeal.objects.filter(enrollment=rejected).exists():
            services.appeal_file(
                enrollment=rejected, actor=User.objects.get(email=email), grounds=grounds
            )


def _seal_log_pdf() -> bytes:
    """A one-page PDF to stand for the seal log the partner uploads as evidence."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _build(spec, staff, today):
    name, entity_type, border, office, country, city, security_path, trade_path, identifiers = spec
    supervisor, specialist = staff[office]["supervisor"], staff[office]["specialist"]
    importer = entity_type in ("us_importer", "ca_importer")
    # Certified 300 days ago and validated 100 days ago: the annual review window is open
    # and no deadline is long overdue, as in a well-run portfolio.
    certified_on = today - timedelta(days=200 if security_path == "certified" else 300)
    applied = (
        today - timedelta(days=40)
        if security_path in ("applicant", "under_review", "rejected")
        else certified_on - timedelta(days=75)
    )
    partner = services.partner_create(
        actor=specialist,
        data={
            "legal_name": name,
            "entity_type": entity_type,
            "highway_border": border,
            "street": "100 Commerce Street",
            "city": city,
            "country": country,
            "field_office": FieldOffice.objects.get(code=office),
            "specialist": specialist,
            "national_account_manager": supervisor if importer else None,
            "importing_since": today - timedelta(days=365 * 8) if importer else None,
        },
        identifiers=identifiers,
        applied_on=applied,
        reason="Demo data",
    )
    services.site_create(
        actor=specialist,
        partner=partner,
        data={
            "name": "Headquarters",
            "kind": "domestic" if country == "US" else "foreign",
            "street": "100 Commerce Street",
            "city": city,
            "country": country,
        },
    )
    if importer:
        services.site_create(
            actor=specialist,
            partner=partner,
            data={
                "name": "Supplier plant",
                "kind": "foreign",
                "street": "8 Industrial Road",
                "city": "Ho Chi Minh City",
                "country": "VN",
            },
        )
    security = partner.enrollments.get(program=Program.SECURITY)
    move = {"enrollment": security, "actor": specialist}
    decide = {"enrollment": security, "actor": supervisor}
    if security_path == "applicant":
        return partner
    services.enrollment_start_review(**move, reason="Security profile complete; review started")
    if security_path == "under_review":
        return partner
    if security_path == "rejected":
        services.enrollment_reject(**move, reason="The security profile left most criteria blank")
        return partner
    for prepare in registry["demo_before_certify"]:  # an accepted Security Profile
        prepare(security, specialist)
    services.enrollment_certify(**move, reason="Profile meets the criteria", on=certified_on)
    if security_path in ("validated2", "validated3", "suspended", "removed"):
        services.enrollment_validate(
            **decide,
            tier=3 if security_path == "validated3" else 2,
            reason="On-site validation found the measures in place",
            on=today - timedelta(days=100),
        )
    if security_path == "suspended":
        services.enrollment_suspend(
            **decide,
            reason="Seizure of narcotics in a container the partner loaded",
            cause=SuspensionCause.INCIDENT,
            letter_on=today - timedelta(days=95),  # unanswered: past the 90 days
        )
    elif security_path == "removed":
        services.enrollment_remove(**decide, reason="No answer to the suspension letter")
    elif security_path == "withdrawn":
        services.enrollment_withdraw(**move, reason="The company left the program by letter")
    if trade_path:
        trade = services.trade_compliance_apply(
            partner=partner,
            actor=specialist,
            answers={code: True for code, _ in ELIGIBILITY_QUESTIONS},
            reason="Demo data",
            applied_on=today - timedelta(days=90),
        )
        if trade_path != "applicant":
            services.enrollment_start_review(
                enrollment=trade, actor=specialist, reason="Questionnaire complete"
            )
        # Acceptance waits for the forced-labor documentation: forced_labor/demo.py
        # uploads and accepts it, then accepts (and for one partner suspends) Trade Compliance.
    return partner


def load() -> list[str]:
    today = timezone.localdate()
    staff = {
        "buffalo": {
            "supervisor": User.objects.get(email="supervisor@cbp.example"),
            "specialist": User.objects.get(email="specialist@cbp.example"),
        },
        "long-beach": {
            "supervisor": User.objects.get(email="supervisor.lb@cbp.example"),
            "specialist": User.objects.get(email="specialist.lb@cbp.example"),
        },
    }
    for spec in PARTNERS:
        if not Partner.objects.filter(legal_name=spec[0]).exists():
            _build(spec, staff, today)
    lines = []
    for email, full_name, memberships in PARTNER_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, full_name=full_name, role=Role.PARTNER
            )
        for partner_name, role in memberships:
            partner = Partner.objects.select_related("field_office").get(legal_name=partner_name)
            if not partner.memberships.filter(user=user).exists():
                services.membership_add(
                    actor=staff[partner.field_office.code]["specialist"],
                    partner=partner,
                    user=user,
                    role=role,
                    reason="Demo data",
                )
        companies = ", ".join(f"{p} ({MembershipRole(r).label.lower()})" for p, r in memberships)
        lines.append(f"  {email.ljust(31)}  {companies}")
    _attempts_plans_appeals(staff, today)
    return ["Partner users (same password), with their companies:", *lines]
