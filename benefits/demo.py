"""Demo benefits: the catalogue, three partner government agencies with their offerings,
24 months of figures for every demo partner and of non-member baselines, and proposals.

The figures are made up, deterministic and shaped like the published ones (non-members
examined about 1 in 11 shipments, members far less), so the pages look alive.
"""

from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from partners.models import Partner

from . import catalogue, selectors, services
from .choices import ImportKind, ProposalMove
from .eligibility import standing_on
from .models import Agency, AgencyOffering, Baseline, Observation, Proposal

AGENCIES = [
    (
        "FDA",
        "Food and Drug Administration",
        [
            (
                "Expedited entry review for trusted importers",
                "pilot",
                "FDA reviews entries of CTPAT Trade Compliance importers of food first.",
            )
        ],
    ),
    (
        "CPSC",
        "Consumer Product Safety Commission",
        [
            (
                "Trusted trader pilot for consumer products",
                "pilot",
                "Fewer admissibility holds on consumer products for validated CTPAT partners.",
            ),
            (
                "Certificate review at the Centers",
                "benefit",
                "Certificates of compliance on file are reused instead of asked for each entry.",
            ),
        ],
    ),
    (
        "USDA",
        "U.S. Department of Agriculture (APHIS)",
        [
            (
                "Agricultural inspection priority",
                "benefit",
                "Shipments of validated partners selected for agricultural inspection go first.",
            )
        ],
    ),
]

PARTICIPATIONS = [
    ("Acme Imports Inc.", "FDA", 200),
    ("Acme Imports Inc.", "CPSC", 120),
    ("Pacific Gateway Imports", "CPSC", 300),
    ("Harbor Terminal Operators", "USDA", 250),
]

PROPOSALS = [
    (
        "Reuse of validation documents across programs",
        "industry",
        "COAC Trade Compliance working group",
        "trade_compliance",
        "days_to_ruling",
        None,
        "Documents a partner gave in a Security validation should count for Trade Compliance "
        "reviews, so partners are not asked twice for the same evidence.",
    ),
    (
        "Priority processing at land borders for Tier 3 highway carriers",
        "cbp",
        "CTPAT Buffalo field office",
        "security",
        "hours_to_release",
        ProposalMove.REVIEW,
        "Tier 3 carriers should use dedicated primary lanes at the busiest land ports, measured "
        "by hours to release against non-member carriers.",
    ),
    (
        "Publish examination rates yearly",
        "industry",
        "COAC Secure Trade Lanes subcommittee",
        "security",
        "examination_rate",
        ProposalMove.PILOT,
        "CBP publishes members' and non-members' examination rates each year, as COAC asked "
        "in 2020.",
    ),
]

# Examinations per 1,000 shipments by Security tier in good standing (0: none).
EXAM_RATE = {0: 85, 1: 40, 2: 18, 3: 11}
HOLD_RATE = {0: 30, 1: 20, 2: 9, 3: 6}
HOURS = {0: 30, 1: 22, 2: 14, 3: 9}


def _month_figures(partner_index: int, month_index: int, tier: int, trade: bool) -> dict:
    wobble = (partner_index * 7 + month_index * 3) % 10 - 5  # -5 .. 4, repeatable
    shipments = 300 + partner_index * 37 % 400 + month_index * 5
    examinations = shipments * (EXAM_RATE[tier] + wobble) // 1000
    detentions = 2 if trade and month_index % 6 == 0 else 0
    return {
        "shipments": shipments,
        "examinations": max(examinations, 0),
        "holds": shipments * max(HOLD_RATE[tier] + wobble // 2, 0) // 1000,
        "hours_to_release": Decimal(HOURS[tier] + wobble) + Decimal("0.5"),
        "wro_detentions": detentions,
        "wro_held_at_premises": detentions if trade else 0,
        "rulings": 1 if trade and month_index % 3 == 0 else 0,
        "days_to_ruling": Decimal(18 + wobble) if trade and month_index % 3 == 0 else None,
        "source": "Demo: ACE extract",
    }


def _observations(staff, months) -> None:
    partners = list(Partner.objects.order_by("pk"))
    if not partners or Observation.objects.filter(partner__in=partners).exists():
        return
    histories = selectors.standing_histories([p.pk for p in partners])
    items = []
    for p_index, partner in enumerate(partners):
        for m_index, period in enumerate(months):
            standing = standing_on(histories[partner.pk], services.month_end(period))
            data = _month_figures(p_index, m_index, standing.tier or 0, standing.trade_compliance)
            items.append((partner, {"period": period, **data}))
    services.figures_import(
        actor=staff, kind=ImportKind.OBSERVATIONS, items=items, source="Demo: ACE extract"
    )


def _baselines(staff, months) -> None:
    if Baseline.objects.exists():
        return
    items = []
    for index, period in enumerate(months):
        shipments = 410_000 + index * 2_500
        items.append(
            (
                None,
                {
                    "period": period,
                    "entity_type": "",
                    "shipments": shipments,
                    "examinations": shipments * (91 + index % 4 - 2) // 1000,
                    "holds": shipments * 31 // 1000,
                    "hours_to_release": Decimal("31.5") - index % 3,
                    "wro_detentions": 40 + index % 5,
                    "wro_held_at_premises": 0,
                    "rulings": 900,
                    "days_to_ruling": Decimal("74.0"),
                    "source": "Demo: ACE extract, non-members",
                },
            )
        )
    services.figures_import(
        actor=staff, kind=ImportKind.BASELINES, items=items, source="Demo: non-member baseline"
    )


def load() -> list[str]:
    catalogue.load(apps.get_model)
    staff = User.objects.filter(email="specialist@cbp.example").first()
    supervisor = User.objects.filter(email="supervisor@cbp.example").first()
    if staff is None or supervisor is None:
        return []
    today = timezone.localdate()
    for code, name, offerings in AGENCIES:
        agency, _ = Agency.objects.get_or_create(code=code, defaults={"name": name})
        for offering, kind, description in offerings:
            AgencyOffering.objects.get_or_create(
                agency=agency, name=offering, defaults={"kind": kind, "description": description}
            )
    for partner_name, code, days in PARTICIPATIONS:
        partner = Partner.objects.filter(legal_name=partner_name).first()
        offering = AgencyOffering.objects.filter(agency__code=code).first()
        if partner and not partner.agency_participations.filter(offering=offering).exists():
            # Recorded by a supervisor of the partner's own office, as the service requires.
            recorder = (
                User.objects.filter(
                    role=Role.SUPERVISOR, field_office_id=partner.field_office_id
                ).first()
                or User.objects.filter(role=Role.ADMINISTRATOR).first()
            )
            services.participation_add(
                actor=recorder,
                partner=partner,
                data={"offering": offering, "since": today - timedelta(days=days)},
            )
    first, last = selectors.last_months(24, today)
    months = [selectors.add_months(first, n) for n in range(24)]
    _baselines(staff, months)
    _observations(staff, months)
    for title, kind, sponsor, program, metric, move, rationale in PROPOSALS:
        if Proposal.objects.filter(title=title).exists():
            continue
        proposal = services.proposal_create(
            actor=staff,
            data={
                "title": title,
                "sponsor_kind": kind,
                "sponsor": sponsor,
                "program": program,
                "metric": metric,
                "rationale": rationale,
            },
        )
        if move:
            services.proposal_move(
                actor=supervisor,
                proposal=proposal,
                move=ProposalMove.REVIEW,
                reason="Worth measuring",
            )
        if move == ProposalMove.PILOT:
            services.proposal_move(
                actor=supervisor,
                proposal=proposal,
                move=ProposalMove.PILOT,
                reason="Pilot with the Buffalo field office's partners for a year",
            )
    return []
