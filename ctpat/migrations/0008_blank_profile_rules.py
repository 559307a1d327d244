"""Rules of the Security Profile (issue 16): a profile submitted more than half blank is
flagged and must be completed within 14 days (DOMAIN.md, a secondary source). "More than
half" is kept as a rule too, as a percentage of the answers left blank.

`tests/conftest.py` calls `seed` again for tests that empty the database.
"""

from datetime import date

from django.db import migrations

FROM = date(2000, 1, 1)
REASON = "Issue 16: the Security Profile and its review."

# (name, value, unit, source)
RULES = [
    (
        "blank_profile_fix_days",
        "14",
        "days",
        "DOMAIN.md (secondary source): 14 days to fix a blank profile",
    ),
    (
        "blank_profile_percent",
        "50",
        "count",
        "the project's reading of 'blank': a profile with more than this percentage of its "
        "answers blank when submitted",
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
    dependencies = [("ctpat", "0007_annual_submission_grace_rule")]

    operations = [migrations.RunPython(seed, unseed)]
