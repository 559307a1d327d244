"""The benefits catalogue as shipped: the benefits DOMAIN.md names, each with the condition
that grants it and the figure that measures it. Administrators change it in the admin.

`load(get_model)` adds what is missing and leaves existing rows alone; the data migration
and the demo both call it.
"""

# code, name, program, condition, metric, description
BENEFITS = [
    (
        "fewer-examinations",
        "Fewer examinations",
        "security",
        "security_tier_1",
        "examination_rate",
        "A lower risk score: certified partners' shipments are selected for examination less "
        "often (Tier 1: reduced by no more than 20% of the high-risk threshold).",
    ),
    (
        "further-exam-reductions",
        "Further examination reductions",
        "security",
        "security_tier_2",
        "examination_rate",
        "Validated partners get further risk-score reductions and fewer examinations than Tier 1.",
    ),
    (
        "front-of-line",
        "Front of line for inspections",
        "security",
        "security_tier_2",
        "hours_to_release",
        "Shipments selected for inspection are examined first, so they are released sooner.",
    ),
    (
        "fewer-holds",
        "Fewer holds",
        "security",
        "security_tier_2",
        "hold_rate",
        "Validated partners' shipments are held for review less often.",
    ),
    (
        "expedited-release",
        "Expedited release at all threat levels",
        "security",
        "security_tier_3",
        "hours_to_release",
        "Tier 3 partners' shipments are released first, even at raised threat levels.",
    ),
    (
        "stratified-exam-exemption",
        "Possible exemption from stratified examinations",
        "security",
        "security_tier_3",
        "examination_rate",
        "Tier 3 partners may be exempted from the random examinations that measure compliance.",
    ),
    (
        "expedited-rulings",
        "Expedited rulings",
        "trade_compliance",
        "trade_compliance",
        "days_to_ruling",
        "Ruling requests go to the front of the line (within 20 days, per a secondary source).",
    ),
    (
        "focused-assessment-exemption",
        "Removal from the Focused Assessment audit pool",
        "trade_compliance",
        "trade_compliance",
        "hold_rate",
        "Trade Compliance importers are not selected for Focused Assessment audits.",
    ),
    (
        "wro-premises",
        "WRO detentions held at the importer's premises",
        "trade_compliance",
        "forced_labor_documentation",
        "redelivery_avoided",
        "Goods detained under a Withhold Release Order may be held at the importer's premises or "
        "moved to a bonded facility instead of redelivery (announced 18 Nov 2022).",
    ),
    (
        "cee-front-of-line",
        "Front-of-line admissibility review at the Centers",
        "trade_compliance",
        "forced_labor_documentation",
        "hours_to_release",
        "Admissibility reviews at the Centers of Excellence and Expertise go first when the "
        "importer claims membership with its documents.",
    ),
]


def load(get_model) -> int:
    Benefit = get_model("benefits", "Benefit")
    created = 0
    for code, name, program, condition, metric, description in BENEFITS:
        _, new = Benefit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "program": program,
                "condition": condition,
                "metric": metric,
                "description": description,
            },
        )
        created += new
    return created
