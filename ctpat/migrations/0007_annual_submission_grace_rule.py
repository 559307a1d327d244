"""The grace before a missing yearly submission proposes a suspension (issue 15).

An overdue annual security profile review or Annual Notification Letter is flagged to the
partner from its first day overdue; once it has been overdue beyond
`annual_submission_grace_days`, a suspension is proposed to the supervisors. DOMAIN.md gives
no figure, so the value is the project's reading: 30 days, time for the flag and the
supervisors' escalation (deadline_escalation_days, 14) to be acted on before the program
weighs a suspension. Written out here so this migration gives the same row forever;
`tests/conftest.py` calls `seed` again for tests that empty the database.
"""

from datetime import date

from django.db import migrations

FROM = date(2000, 1, 1)  # in force for every record the portal holds
REASON = "Issue 15: every overdue kind proposes its consequence."

# (name, value, unit, source)
RULES = [
    (
        "annual_submission_grace_days",
        "30",
        "days",
        "the project's reading (DOMAIN.md gives no figure): a suspension is proposed once an "
        "annual profile review or Annual Notification Letter is 30 days overdue, after the "
        "flag and the 14-day escalation",
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
    dependencies = [("ctpat", "0006_attempt_and_appeal_rules")]

    operations = [migrations.RunPython(seed, unseed)]
