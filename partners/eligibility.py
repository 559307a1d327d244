"""Trade Compliance eligibility (DOMAIN.md): every failed rule gets its own message."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ctpat.program_rules import rule_int

from .choices import ELIGIBILITY_QUESTIONS, Program, Status


def trade_compliance_problems(partner, enrollments, answers: dict[str, bool] | None) -> list[str]:
    """What keeps `partner` out of Trade Compliance; empty when it is eligible.

    `answers` maps each questionnaire code to the answer given; None skips the
    questionnaire (when checking a partner whose answers are already on record).
    """
    problems = []
    if not partner.is_importer:
        problems.append("Trade Compliance is open to importers only.")
    security = next((e for e in enrollments if e.program == Program.SECURITY), None)
    if security is None or security.status != Status.VALIDATED or (security.tier or 0) < 2:
        problems.append(
            "The partner must be a Security partner at Tier 2 or 3 in good standing "
            "(validated, not suspended)."
        )
    months = rule_int("trade_compliance_import_history_months")
    cutoff = timezone.localdate() - relativedelta(months=months)
    if partner.importing_since is None or partner.importing_since > cutoff:
        problems.append(f"The partner needs at least {months // 12} years of import history.")
    if partner.has_unpaid_cbp_debt:
        problems.append("The partner has unpaid CBP debt.")
    if answers is not None:
        for code, text in ELIGIBILITY_QUESTIONS:
            if answers.get(code) is not True:
                problems.append(f'The questionnaire needs "yes" to: {text}')
    return problems
