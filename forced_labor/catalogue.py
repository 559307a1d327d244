"""The six forced-labor documentation requirements of Trade Compliance (DOMAIN.md).

Names follow the program; the guidance is written in plain words for this application.
Which are uploaded and which are kept for CBP to request follows DOMAIN.md where it says
so (1 and 4 are kept; 2 and 3 are uploaded); 5 and 6 are uploaded by our reading.
Loaded by a data migration and again where a database was emptied; `load` takes a
model getter so the migration can pass its historical models. Safe to run again.
"""

EFFECTIVE = "2022-08-01"

REQUIREMENTS = [
    (
        1,
        "Supply chain mapping",
        "on_request",
        False,
        "Keep a risk-based map of your supply chain that flags high-risk regions and suppliers. "
        "Keep it up to date and ready: CBP may ask for the unredacted map at any time.",
    ),
    (
        2,
        "Code of conduct",
        "uploaded",
        True,
        "Upload your code of conduct against forced labor and the procedures that enforce it, "
        "and give the public web address where it is published.",
    ),
    (
        3,
        "Evidence of implementation",
        "uploaded",
        False,
        "Upload proof that the code is applied: internal training on the signs of forced labor, "
        "and the checks that show your supply chain is free of it.",
    ),
    (
        4,
        "Supplier due diligence and training",
        "on_request",
        False,
        "Keep records of how you check and train suppliers on their specific forced-labor risks; "
        "CBP may ask to see them.",
    ),
    (
        5,
        "Remediation plan",
        "uploaded",
        False,
        "Upload your plan for when forced labor is found, including how you will tell CBP.",
    ),
    (
        6,
        "Shared best practices",
        "uploaded",
        False,
        "Upload a short description of the practices that worked for you and your next steps.",
    ),
]


def load(get_model) -> None:
    Requirement = get_model("forced_labor", "Requirement")
    Version = get_model("forced_labor", "RequirementVersion")
    for number, name, handling, asks_url, guidance in REQUIREMENTS:
        requirement, _ = Requirement.objects.get_or_create(
            number=number, defaults={"name": name, "asks_public_url": asks_url}
        )
        Version.objects.get_or_create(
            requirement=requirement,
            effective_from=EFFECTIVE,
            defaults={"handling": handling, "guidance": guidance},
        )
