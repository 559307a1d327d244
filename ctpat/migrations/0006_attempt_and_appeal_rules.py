"""Rules of attempts, suspensions and appeals (issue 15): how soon a partner may apply again,
and the appeal windows (a corrective action plan answers the suspension
letter, so it is due within suspension_response_days).

Written out here so this migration gives the same rows forever. DOMAIN.md confirms only the
1-year wait after a withdrawal (from a secondary source); it does not confirm what 6 U.S.C. 968
says of appeals, so the other rows are marked as the project's reading.
`tests/conftest.py` calls `seed` again for tests that empty the database.
"""

from datetime import date

from django.db import migrations

FROM = date(2000, 1, 1)  # in force for every record the portal holds
REASON = "Issue 15: enrollments are attempts; suspension, corrective action plan and appeal."

# (name, value, unit, source)
RULES = [
    (
        "reapply_after_rejection_days",
        "0",
        "days",
        "the project's reading: a partner whose application was rejected may apply again at once",
    ),
    (
        "reapply_after_withdrawal_days",
        "365",
        "days",
        "DOMAIN.md (secondary source): a partner that withdrew may not reapply for 1 year",
    ),
    (
        "reapply_after_removal_days",
        "365",
        "days",
        "the project's reading: a removed partner waits 1 year, as after a withdrawal",
    ),
    (
        "appeal_window_days",
        "30",
        "days",
        "the project's reading (6 U.S.C. 968 not confirmed in DOMAIN.md): a suspended or "
        "rejected partner may appeal within 30 days of the decision",
    ),
    (
        "appeal_decision_days",
        "90",
        "days",
        "the project's reading (6 U.S.C. 968 not confirmed in DOMAIN.md): CBP decides an "
        "appeal within 90 days of its filing",
    ),
]


def seed(apps, schema_editor=None):
    ProgramRule = apps.get_model("ctpat", "ProgramRule")
    for name, value, unit, source in RULES:
        ProgramRule.objects.get_or_create(
            name=name,
            effective_from=FROM,
            defaults={"value": value, "unit": unit, "source": source, "reason": REASON},
        )


def unseed(apps, schema_editor):
    ProgramRule = apps.get_model("ctpat", "ProgramRule")
    ProgramRule.objects.filter(effective_from=FROM, name__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("ctpat", "0005_trigram_extension")]

    operations = [migrations.RunPython(seed, unseed)]
