"""Seeds the program rules from what settings.CTPAT_RULES and the code held before the table.

Written out here, not read from settings, so this migration gives the same rows forever.
`tests/conftest.py` calls `seed` again for tests that empty the database.
"""

from datetime import date

from django.db import migrations

FROM = date(2000, 1, 1)  # before any record the portal holds: in force for all of them
REASON = "The value the portal had before rules were kept as data (settings.CTPAT_RULES or code)."

# (name, value, unit, source)
RULES = [
    ("certification_decision_days", "90", "days",
     "6 U.S.C. 965: decide certification within 90 days of the application"),
    ("initial_validation_months", "12", "months",
     "6 U.S.C. 965-966: validate within 1 year of certification"),
    ("revalidation_months", "48", "months",
     "6 U.S.C. 969: revalidate at least every 4 years after the last validation"),
    ("profile_review_window_days", "90", "days",
     "CBP: the annual Security Profile review is due on the certification anniversary; "
     "the company officer may submit it from 90 days before"),
    ("notification_letter_first_months", "13", "months",
     "Trade Compliance Annual Notification Letter, legacy rule (the current one was not "
     "found): first due 13 months after acceptance"),
    ("notification_letter_every_months", "12", "months",
     "Trade Compliance Annual Notification Letter, legacy rule: then every 12 months"),
    ("notification_letter_window_days", "90", "days",
     "Trade Compliance Annual Notification Letter: submittable 90 days early"),
    ("suspension_response_days", "90", "days",
     "90 days to answer a suspension letter (secondary source)"),
    ("trade_compliance_import_history_months", "24", "months",
     "Trade Compliance eligibility: at least 2 years of import history"),
    ("forced_labor_effective", "2022-08-01", "date",
     "Forced-labor documentation (Trade Compliance): required since 2022-08-01; new "
     "applicants owe it with their application"),
    ("forced_labor_existing_partners_due", "2023-08-01", "date",
     "Forced-labor documentation (Trade Compliance): partners accepted before 2022-08-01 "
     "owed it by 2023-08-01"),
    ("required_action_days", "90", "days",
     "the project's reading: a validation's required actions are due 90 days after its "
     "report is issued"),
    ("benefit_min_observations", "30", "count",
     "the project's reading of GAO-17-84's reliability finding: a members' figure resting on "
     "fewer partner-months is flagged as too small a sample to claim an effect"),
    ("benefit_min_partner_months", "6", "count",
     "the project's reading: a partner's own figures against the baseline need this many "
     "months of its own"),
    ("invitation_valid_days", "7", "days",
     "the project's reading: an invitation of a partner user expires after 7 days"),
    ("deadline_escalation_days", "14", "days",
     "the project's reading: days an item may stay overdue before the field office's "
     "supervisors are told"),
    ("reminder_offsets", "30,7,1", "days_list",
     "the project's reading: reminders 30, 7 and 1 days before a deadline"),
    ("extension_max_days", "180", "days",
     "the project's reading: the longest extension a partner may ask for at once, from the "
     "due date (or today, if it has passed)"),
    ("extension_grant_max_days", "365", "days",
     "the project's reading: the most CBP may grant at once, from the original due date "
     "(or today, if that is later)"),
    ("document_request_days_before_visit", "7", "days",
     "the project's reading: a validation's document requests are due 7 days before the "
     "planned start"),
    ("document_request_min_days", "7", "days",
     "the project's reading: a document request leaves the partner at least 7 days to answer"),
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
    dependencies = [("ctpat", "0001_program_rule")]

    operations = [migrations.RunPython(seed, unseed)]
