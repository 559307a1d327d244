"""Deadlines of the program lifecycle (DOMAIN.md), computed from an enrollment's dates.

The day and month counts are program rules (ctpat.program_rules), in force today.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from ctpat.deadlines import (
    ConsequenceAction,
    Deadline,
    DeadlineKind,
    DueItem,
    NextStep,
    OwedBy,
    ProposedItem,
    deadline_key,
    for_partners,
    parse_key,
    path_maker,
)
from ctpat.program_rules import rule_int

from .choices import (
    OPEN_APPLICATION,
    AppealStatus,
    PlanStatus,
    Program,
    Status,
    SuspensionCause,
)
from .models import Appeal, CorrectiveActionPlan, Enrollment


def certification_due(enrollment) -> date:
    return enrollment.applied_on + timedelta(days=rule_int("certification_decision_days"))


def initial_validation_due(enrollment) -> date:
    return enrollment.certified_on + relativedelta(months=rule_int("initial_validation_months"))


def revalidation_due(enrollment) -> date:
    return enrollment.last_validated_on + relativedelta(months=rule_int("revalidation_months"))


def profile_review_due(enrollment, reviewed: set[date]) -> date:
    """The first certification anniversary without a submitted review."""
    years = 1
    while True:
        due = enrollment.certified_on + relativedelta(years=years)
        if due not in reviewed:
            return due
        years += 1


def profile_review_opens(due_on: date) -> date:
    return due_on - timedelta(days=rule_int("profile_review_window_days"))


def notification_letter_due(enrollment, submitted: set[date]) -> date:
    """First 13 months after acceptance, then every 12: the first one not yet submitted."""
    due = enrollment.accepted_on + relativedelta(
        months=rule_int("notification_letter_first_months")
    )
    step = relativedelta(months=rule_int("notification_letter_every_months"))
    while due in submitted:
        due += step
    return due


def notification_letter_opens(due_on: date) -> date:
    return due_on - timedelta(days=rule_int("notification_letter_window_days"))


def suspension_response_due(enrollment) -> date:
    return enrollment.suspended_on + timedelta(days=rule_int("suspension_response_days"))


def appeal_decision_due(appeal) -> date:
    return appeal.filed_on + timedelta(days=rule_int("appeal_decision_days"))


def _plan_label(enrollment) -> str:
    program = Program(enrollment.program).label
    return f"Corrective action plan (answers the {program} suspension letter)"


# What overdue items propose (issue 15: every overdue kind proposes its consequence). Each
# handler acts through this app's services and says what the supervisor does next.


def _partner_page(partner_id: int) -> str:
    return reverse("partners:detail", args=[partner_id])


def _locked_enrollment(item: ProposedItem) -> tuple[Enrollment, str, date] | None:
    """(the current enrollment a deadline key names, locked; the key's kind; its original
    due date), or None when the enrollment is not current any more (a later attempt replaced
    it) or the key has another shape."""
    parsed = parse_key(item.key)
    if parsed is None:
        return None
    kind, enrollment_id, due_on = parsed
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(pk=enrollment_id, partner_id=item.partner_id)
        .first()
    )
    return (enrollment, kind, due_on) if enrollment else None


def _validation_owed(enrollment: Enrollment, kind: str, due_on: date) -> bool:
    """The initial validation or the revalidation of this due date is still to be done."""
    if kind == "validation":
        return enrollment.status == Status.CERTIFIED and enrollment.last_validated_on is None
    return (
        enrollment.status == Status.VALIDATED
        and enrollment.last_validated_on is not None
        and revalidation_due(enrollment) == due_on
    )


def flag_overdue(*, actor, partner_id: int, reason: str, item: ProposedItem, then: str) -> NextStep:
    """Confirmed flag: the partner's users are told that CBP has flagged the overdue item,
    with a link to it (partners.services.partner_overdue_flag); `then` says what follows."""
    from . import services  # services imports this module

    told = services.partner_overdue_flag(
        actor=actor, partner_id=partner_id, label=item.label, url=item.url, reason=reason
    )
    return NextStep(
        ngettext(
            "%(count)d user of the partner was told that CBP flagged “%(label)s”; the flag "
            "stays on the partner's timeline. %(then)s",
            "%(count)d users of the partner were told that CBP flagged “%(label)s”; the flag "
            "stays on the partner's timeline. %(then)s",
            len(told),
        )
        % {"count": len(told), "label": item.label, "then": then},
        item.url or _partner_page(partner_id),
        gettext("Open the overdue item"),
    )


def _flag_annual_submission(*, actor, partner_id: int, reason: str, item: ProposedItem, **_):
    """Confirmed: the partner is told CBP flagged its missing yearly submission; a suspension
    follows as a proposal if it is still missing after the grace."""
    grace = rule_int("annual_submission_grace_days")
    return flag_overdue(
        actor=actor,
        partner_id=partner_id,
        reason=reason,
        item=item,
        then=gettext(
            "Once it has been missing for more than %(days)d days after its due date, a "
            "suspension is proposed here for your decision."
        )
        % {"days": grace},
    )


def _flag_suspension_response(*, actor, partner_id: int, reason: str, item: ProposedItem, **_):
    """Confirmed (proposals recorded before removal was proposed instead): the partner is
    told CBP flagged its unanswered suspension letter; the supervisor decides removal or
    reinstatement on the partner page."""
    next_step = flag_overdue(
        actor=actor,
        partner_id=partner_id,
        reason=reason,
        item=item,
        then=gettext("Next, decide removal or reinstatement on the partner page."),
    )
    return next_step._replace(
        url=_partner_page(partner_id), link_text=gettext("Open the partner page")
    )


def _escalate_validation(*, actor, partner_id: int, reason: str, item: ProposedItem, **_):
    """Confirmed: the partner's specialist (or the office's supervisors) is asked to plan the
    overdue initial validation or revalidation (partners.services.
    enrollment_validation_escalate), if it is still owed."""
    from ctpat.errors import DomainError

    from . import services  # services imports this module

    found = _locked_enrollment(item)
    if found is None or not _validation_owed(*found):
        raise DomainError(
            gettext(
                "The %(label)s has been done (or the enrollment has moved on) since this was "
                "proposed, so there is nothing to escalate; dismiss the proposal instead."
            )
            % {"label": item.label.lower()}
        )
    enrollment = found[0]
    asked = services.enrollment_validation_escalate(
        actor=actor, enrollment=enrollment, label=item.label, reason=reason
    )
    label = item.label.lower()
    if asked:
        text = gettext(
            "%(people)s asked to plan the %(label)s. Plan it, or check that it is planned:"
        ) % {"people": ", ".join(str(person) for person in asked), "label": label}
    else:
        text = gettext(
            "Nobody at the office could be asked to plan the %(label)s; plan it yourself:"
        ) % {"label": label}
    return NextStep(
        text,
        reverse("validations:plan", args=[partner_id]),
        gettext("Plan a validation of the partner"),
    )


# The annual Security profile review and the Annual Notification Letter, missing: the
# cause is "lack of commitment" (DOMAIN.md's causes of suspension): the partner has stopped
# doing what membership asks of it each year. Nothing in a missing submission says the
# information it gave was false (that cause is for what it said), nor is it an incident or a
# failed validation.
_MISSING_SUBMISSION_CAUSE = SuspensionCause.LACK_OF_COMMITMENT
_SUSPENDABLE = {
    Program.SECURITY: (Status.CERTIFIED, Status.VALIDATED),
    Program.TRADE_COMPLIANCE: (Status.ACCEPTED,),
}


def _suspend_for_missing_submission(
    *, actor, partner_id: int, reason: str, item: ProposedItem, **_
) -> NextStep:
    """Confirmed: the enrollment whose yearly submission is still missing is suspended
    through partners.services.enrollment_suspend, cause "lack of commitment" (Security's
    suspension suspends Trade Compliance too). Refused, changing nothing, when the submission
    came in since (the enrollment's next annual date moved on) or the enrollment is no
    longer one that can be suspended."""
    from ctpat.errors import DomainError

    from . import services  # services imports this module

    found = _locked_enrollment(item)
    enrollment = found[0] if found else None
    if enrollment is None or enrollment.status not in _SUSPENDABLE[Program(enrollment.program)]:
        raise DomainError(
            gettext(
                "The enrollment is no longer one that can be suspended (it was suspended, "
                "removed or withdrawn since this was proposed); dismiss the proposal instead."
            )
        )
    if found is None or enrollment.annual_due_on != found[2]:
        raise DomainError(
            gettext(
                "The partner has submitted its %(label)s since this was proposed, so there is "
                "nothing to suspend for; dismiss the proposal instead."
            )
            % {"label": item.label}
        )
    services.enrollment_suspend(
        enrollment=enrollment, actor=actor, reason=reason, cause=_MISSING_SUBMISSION_CAUSE
    )
    return NextStep(
        gettext(
            "%(program)s is suspended as of today (cause: lack of commitment) and the "
            "partner's users were told. The partner answers with a corrective action plan "
            "within %(days)d days; reinstatement or removal is decided on the partner page."
        )
        % {
            "program": enrollment.get_program_display(),
            "days": rule_int("suspension_response_days"),
        },
        _partner_page(partner_id),
        gettext("Open the partner page"),
    )


FLAG_REVALIDATION = ConsequenceAction(
    "flag_revalidation",
    gettext_lazy("Revalidation overdue"),
    gettext_lazy(
        "Confirm asks the partner's specialist (or, with none, the office's supervisors) to "
        "plan the revalidation, with a link to plan it."
    ),
    program=Program.SECURITY,
    confirm=_escalate_validation,
)
ESCALATE_INITIAL_VALIDATION = ConsequenceAction(
    "escalate_initial_validation",
    gettext_lazy("Initial validation overdue: escalate"),
    gettext_lazy(
        "Confirm asks the partner's specialist (or, with none, the office's supervisors) to "
        "plan the initial validation, with a link to plan it."
    ),
    program=Program.SECURITY,
    confirm=_escalate_validation,
)
FLAG_PROFILE_REVIEW = ConsequenceAction(
    "flag_profile_review",
    gettext_lazy("Annual security profile review overdue: flag it to the partner"),
    gettext_lazy("Confirm tells the partner's users that CBP has flagged the missing review."),
    program=Program.SECURITY,
    confirm=_flag_annual_submission,
)
SUSPEND_FOR_MISSING_PROFILE_REVIEW = ConsequenceAction(
    "suspend_missing_profile_review",
    gettext_lazy("Annual security profile review still missing: suspend Security"),
    gettext_lazy(
        "Confirm suspends the Security enrollment as of today, cause “lack of commitment” "
        "(Trade Compliance is suspended with it)."
    ),
    program=Program.SECURITY,
    confirm=_suspend_for_missing_submission,
    after_rule="annual_submission_grace_days",
)
FLAG_NOTIFICATION_LETTER = ConsequenceAction(
    "flag_notification_letter",
    gettext_lazy("Annual Notification Letter overdue: flag it to the partner"),
    gettext_lazy("Confirm tells the partner's users that CBP has flagged the missing letter."),
    program=Program.TRADE_COMPLIANCE,
    confirm=_flag_annual_submission,
)
SUSPEND_FOR_MISSING_NOTIFICATION_LETTER = ConsequenceAction(
    "suspend_missing_notification_letter",
    gettext_lazy("Annual Notification Letter still missing: suspend Trade Compliance"),
    gettext_lazy("Confirm suspends Trade Compliance as of today, cause “lack of commitment”."),
    program=Program.TRADE_COMPLIANCE,
    confirm=_suspend_for_missing_submission,
    after_rule="annual_submission_grace_days",
)
# Declared for proposals recorded before issue 15 (an unanswered letter now proposes removal).
FLAG_SUSPENSION_RESPONSE = ConsequenceAction(
    "flag_suspension_response",
    gettext_lazy("Suspension letter unanswered: decide removal or reinstatement"),
    gettext_lazy(
        "Confirm tells the partner's users that CBP has flagged the unanswered letter; you "
        "then decide removal or reinstatement on the partner page."
    ),
    confirm=_flag_suspension_response,
)


def _remove_for_missing_plan(*, actor, partner_id: int, reason: str, **_) -> NextStep:
    """Confirmed by a supervisor: remove the partner from each program whose suspension
    letter still has no corrective action plan handed in (the enrollment services record
    it; Security's removal suspends Trade Compliance)."""
    from ctpat.errors import DomainError

    from . import services  # services imports this module

    waiting = list(
        Enrollment.objects.select_for_update()
        .filter(partner_id=partner_id, status=Status.SUSPENDED, suspended_on__isnull=False)
        .exclude(
            Exists(
                CorrectiveActionPlan.objects.filter(
                    enrollment=OuterRef("pk"),
                    suspended_on=OuterRef("suspended_on"),
                    status__in=_PLAN_ANSWERED,
                )
            )
        )
        .order_by("-program")  # Security first: its removal suspends Trade Compliance
    )
    if not waiting:
        raise DomainError(
            "The partner has handed in its corrective action plan (or is no longer suspended) "
            "since this was proposed; dismiss the proposal instead."
        )
    for enrollment in waiting:
        enrollment.refresh_from_db()
        if enrollment.status == Status.SUSPENDED:
            services.enrollment_remove(enrollment=enrollment, actor=actor, reason=reason)
    return NextStep(
        gettext(
            "The partner is removed from %(programs)s and its users were told; the removal is "
            "on the partner's record, where an appeal would also appear."
        )
        % {"programs": ", ".join(str(e.get_program_display()) for e in waiting)},
        _partner_page(partner_id),
        gettext("Open the partner page"),
    )


# The issue 15 rule (part 5): an overdue corrective action plan proposes removal.
REMOVE_FOR_MISSING_PLAN = ConsequenceAction(
    "remove_for_missing_plan",
    "Corrective action plan overdue: remove from the program",
    "Confirm removes the partner from each program whose suspension letter has no plan "
    "(removing Security suspends Trade Compliance).",
    confirm=_remove_for_missing_plan,
)


def _security(enrollments):
    return [e for e in enrollments if e.program == Program.SECURITY]


def _trade_compliance(enrollments):
    return [e for e in enrollments if e.program == Program.TRADE_COMPLIANCE]


def first_annual_due(enrollment) -> date | None:
    """The first yearly submission an enrollment owes, from its certification or acceptance
    (Enrollment.annual_due_on starts here; each submission moves it on a cycle)."""
    if enrollment.program == Program.SECURITY and enrollment.certified_on:
        return profile_review_due(enrollment, set())
    if enrollment.program == Program.TRADE_COMPLIANCE and enrollment.accepted_on:
        return notification_letter_due(enrollment, set())
    return None


def _deadline(kind, label, due_on, owed_by, enrollment, **extra) -> Deadline:
    return Deadline(
        kind, label, due_on, owed_by, key=deadline_key(kind, enrollment.pk, due_on), **extra
    )


def _certification(partner, *, enrollments, **_):
    for e in _security(enrollments):
        if e.status in OPEN_APPLICATION:
            yield _deadline(
                "certification", "Certification decision", certification_due(e), OwedBy.CBP, e
            )


def _validation(partner, *, enrollments, **_):
    for e in _security(enrollments):
        if e.status == Status.CERTIFIED and e.last_validated_on is None and e.certified_on:
            yield _deadline(
                "validation", "Initial validation", initial_validation_due(e), OwedBy.CBP, e
            )


def _revalidation(partner, *, enrollments, **_):
    for e in _security(enrollments):
        if e.status == Status.VALIDATED and e.last_validated_on:
            yield _deadline("revalidation", "Revalidation", revalidation_due(e), OwedBy.CBP, e)


def _profile_review(partner, *, enrollments, **_):
    for e in _security(enrollments):
        if e.status in (Status.CERTIFIED, Status.VALIDATED) and e.annual_due_on:
            yield _deadline(
                "profile_review",
                "Annual security profile review",
                e.annual_due_on,
                OwedBy.PARTNER,
                e,
                opens_on=profile_review_opens(e.annual_due_on),
            )


def _notification_letter(partner, *, enrollments, **_):
    for e in _trade_compliance(enrollments):
        if e.status == Status.ACCEPTED and e.annual_due_on:
            yield _deadline(
                "notification_letter",
                "Annual Notification Letter",
                e.annual_due_on,
                OwedBy.PARTNER,
                e,
                opens_on=notification_letter_opens(e.annual_due_on),
            )


# The partner answers a suspension letter with a corrective action plan (DOMAIN.md:
# reinstatement needs one), due within the suspension response time; a plan handed in (or
# accepted) answers it. Unanswered, it proposes that a supervisor decide removal or
# reinstatement.
_PLAN_ANSWERED = (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED)


def _corrective_action_plan(partner, *, enrollments, **_):
    suspended = [e for e in enrollments if e.status == Status.SUSPENDED and e.suspended_on]
    if not suspended:
        return
    answered = set(
        CorrectiveActionPlan.objects.filter(
            enrollment__in=suspended, status__in=_PLAN_ANSWERED
        ).values_list("enrollment_id", "suspended_on")
    )
    for e in suspended:
        if (e.pk, e.suspended_on) not in answered:
            yield _deadline(
                "corrective_action_plan",
                _plan_label(e),
                suspension_response_due(e),
                OwedBy.PARTNER,
                e,
            )


def _appeal_decision(partner, **_):
    for appeal in Appeal.objects.filter(enrollment__partner=partner, status=AppealStatus.FILED):
        due = appeal_decision_due(appeal)
        yield Deadline(
            "appeal_decision",
            "Decision on the appeal",
            due,
            OwedBy.CBP,
            key=deadline_key("appeal_decision", appeal.pk, due),
        )


# --- The sweep's view: every partner (or those in partner_ids) at once, one query per kind


def _items(queryset, partner_ids, kind, label, due, owed_by, consequences=()):
    """DueItems from enrollment rows read as plain tuples (no model instances: the sweep
    may read tens of thousands). Many enrollments share their dates, so each distinct set
    of dates has its due date computed once."""
    rows = for_partners(queryset, partner_ids).values_list(
        "pk",
        "partner_id",
        "applied_on",
        "certified_on",
        "last_validated_on",
        "suspended_on",
        "annual_due_on",
        "partner__specialist_id",
        "partner__field_office_id",
        "partner__legal_name",
        "program",
        named=True,
    )
    partner_path = path_maker("partners:detail")
    computed: dict[tuple, date] = {}
    for row in rows:
        dates = row[2:7]
        due_on = computed.get(dates)
        if due_on is None:
            due_on = computed[dates] = due(row)
        yield DueItem(
            key=deadline_key(kind, row.pk, due_on),
            partner_id=row.partner_id,
            due_on=due_on,
            label=label(row) if callable(label) else label,
            url=partner_path(row.partner_id),
            owed_by=owed_by,
            specialist_id=row.partner__specialist_id,
            field_office_id=row.partner__field_office_id,
            partner_name=row.partner__legal_name,
            consequences=consequences,
        )


def _certification_due_items(until, partner_ids=None):
    # due = applied_on + N days <= until  <=>  applied_on <= until - N days
    latest = until - timedelta(days=rule_int("certification_decision_days"))
    open_applications = Enrollment.objects.filter(
        program=Program.SECURITY, status__in=OPEN_APPLICATION, applied_on__lte=latest
    )
    return _items(
        open_applications,
        partner_ids,
        "certification",
        "Certification decision",
        certification_due,
        OwedBy.CBP,
    )


def _validation_due_items(until, partner_ids=None):
    initial = Enrollment.objects.filter(
        program=Program.SECURITY,
        status=Status.CERTIFIED,
        last_validated_on__isnull=True,
        certified_on__lte=until - relativedelta(months=rule_int("initial_validation_months")),
    )
    return _items(
        initial,
        partner_ids,
        "validation",
        "Initial validation",
        initial_validation_due,
        OwedBy.CBP,
        consequences=(ESCALATE_INITIAL_VALIDATION,),
    )


def _revalidation_due_items(until, partner_ids=None):
    again = Enrollment.objects.filter(
        program=Program.SECURITY,
        status=Status.VALIDATED,
        last_validated_on__lte=until - relativedelta(months=rule_int("revalidation_months")),
    )
    return _items(
        again,
        partner_ids,
        "revalidation",
        "Revalidation",
        revalidation_due,
        OwedBy.CBP,
        consequences=(FLAG_REVALIDATION,),
    )


# A missing yearly submission is flagged from its first day overdue, and a suspension is
# proposed once it has been overdue beyond the rule annual_submission_grace_days.
_PROFILE_REVIEW_STAGES = (FLAG_PROFILE_REVIEW, SUSPEND_FOR_MISSING_PROFILE_REVIEW)
_NOTIFICATION_LETTER_STAGES = (FLAG_NOTIFICATION_LETTER, SUSPEND_FOR_MISSING_NOTIFICATION_LETTER)


def _annual(enrollment) -> date:
    return enrollment.annual_due_on


def _profile_review_due_items(until, partner_ids=None):
    owing = Enrollment.objects.filter(
        program=Program.SECURITY,
        status__in=(Status.CERTIFIED, Status.VALIDATED),
        annual_due_on__lte=until,
    )
    return _items(
        owing,
        partner_ids,
        "profile_review",
        "Annual security profile review",
        _annual,
        OwedBy.PARTNER,
        consequences=_PROFILE_REVIEW_STAGES,
    )


def _notification_letter_due_items(until, partner_ids=None):
    owing = Enrollment.objects.filter(
        program=Program.TRADE_COMPLIANCE, status=Status.ACCEPTED, annual_due_on__lte=until
    )
    return _items(
        owing,
        partner_ids,
        "notification_letter",
        "Annual Notification Letter",
        _annual,
        OwedBy.PARTNER,
        consequences=_NOTIFICATION_LETTER_STAGES,
    )


def _corrective_action_plan_due_items(until, partner_ids=None):
    waiting = Enrollment.objects.filter(
        status=Status.SUSPENDED,
        suspended_on__lte=until - timedelta(days=rule_int("suspension_response_days")),
    ).exclude(
        Exists(
            CorrectiveActionPlan.objects.filter(
                enrollment=OuterRef("pk"),
                suspended_on=OuterRef("suspended_on"),
                status__in=_PLAN_ANSWERED,
            )
        )
    )
    return _items(
        waiting,
        partner_ids,
        "corrective_action_plan",
        _plan_label,
        suspension_response_due,
        OwedBy.PARTNER,
        consequences=(REMOVE_FOR_MISSING_PLAN,),
    )


def _appeal_decision_due_items(until, partner_ids=None):
    filed = Appeal.objects.filter(
        status=AppealStatus.FILED,
        filed_on__lte=until - timedelta(days=rule_int("appeal_decision_days")),
    )
    rows = for_partners(filed, partner_ids, "enrollment__partner_id").values_list(
        "pk",
        "filed_on",
        "enrollment__partner_id",
        "enrollment__partner__specialist_id",
        "enrollment__partner__field_office_id",
        "enrollment__partner__legal_name",
    )
    partner_path = path_maker("partners:detail")
    step = timedelta(days=rule_int("appeal_decision_days"))
    for pk, filed_on, partner_id, specialist_id, office_id, name in rows:
        due_on = filed_on + step
        yield DueItem(
            key=deadline_key("appeal_decision", pk, due_on),
            partner_id=partner_id,
            due_on=due_on,
            label="Decision on the appeal",
            url=partner_path(partner_id),
            owed_by=OwedBy.CBP,
            specialist_id=specialist_id,
            field_office_id=office_id,
            partner_name=name,
        )


# Registered by the app's AppConfig.ready().
KINDS = [
    DeadlineKind(
        "certification",
        "Certification decision",
        OwedBy.CBP,
        _certification,
        due_items=_certification_due_items,
        program=Program.SECURITY,
    ),
    DeadlineKind(
        "validation",
        "Initial validation",
        OwedBy.CBP,
        _validation,
        due_items=_validation_due_items,
        program=Program.SECURITY,
        consequences=(ESCALATE_INITIAL_VALIDATION,),
    ),
    DeadlineKind(
        "revalidation",
        "Revalidation",
        OwedBy.CBP,
        _revalidation,
        due_items=_revalidation_due_items,
        program=Program.SECURITY,
        consequences=(FLAG_REVALIDATION,),
    ),
    DeadlineKind(
        "profile_review",
        "Annual security profile review",
        OwedBy.PARTNER,
        _profile_review,
        due_items=_profile_review_due_items,
        program=Program.SECURITY,
        consequences=_PROFILE_REVIEW_STAGES,
    ),
    DeadlineKind(
        "notification_letter",
        "Annual Notification Letter",
        OwedBy.PARTNER,
        _notification_letter,
        due_items=_notification_letter_due_items,
        program=Program.TRADE_COMPLIANCE,
        consequences=_NOTIFICATION_LETTER_STAGES,
    ),
    DeadlineKind(
        "corrective_action_plan",
        "Corrective action plan",
        OwedBy.PARTNER,
        _corrective_action_plan,
        due_items=_corrective_action_plan_due_items,
        # FLAG_SUSPENSION_RESPONSE stays declared for proposals made before issue 15.
        consequences=(REMOVE_FOR_MISSING_PLAN, FLAG_SUSPENSION_RESPONSE),
    ),
    DeadlineKind(
        "appeal_decision",
        "Decision on the appeal",
        OwedBy.CBP,
        _appeal_decision,
        due_items=_appeal_decision_due_items,
    ),
]
