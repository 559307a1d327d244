"""Reads of partners for pages, exports and other apps, each with a fixed number of queries."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404

from accounts.choices import SUPERVISORS
from accounts.models import FieldOffice, User
from ctpat import partner_filters
from ctpat.deadlines import deadlines_for_partner
from ctpat.timeline import TimelineEntry, entries_from_other_apps

from . import permissions
from .choices import (
    APPEAL_STATE,
    ENROLLMENT_STATE,
    PLAN_STATE,
    AppealStatus,
    PlanStatus,
    Program,
    Status,
)
from .models import (
    Appeal,
    CorrectiveAction,
    CorrectiveActionEvidence,
    CorrectiveActionPlan,
    Enrollment,
    EnrollmentEvent,
    Invitation,
    Membership,
    NotificationLetter,
    Partner,
    PartnerIdentifier,
    ProfileReview,
    Site,
)


def partner_list(user: User) -> QuerySet[Partner]:
    """Partners the user may see, for the list's filters, count and page of ids."""
    return Partner.objects.visible_to(user)


def partners_of_specialist(user: User) -> QuerySet[Partner]:
    """The partners this specialist looks after (within what they may see), by name."""
    return Partner.objects.visible_to(user).filter(specialist=user).order_by("legal_name", "pk")


def _deciding_supervisor(user: User) -> bool:
    """Supervisors and administrators decide appeals and plans (permissions._supervisor_of);
    within what they see, which is the partner's office rule of can_change_partner."""
    return user.role in SUPERVISORS


def appeals_awaiting_decision(user: User) -> QuerySet[Appeal]:
    """Filed appeals this person may decide now, oldest filed first.

    The filter is can_decide_appeal in SQL: a supervisor of the partner's office (visible_to
    keeps the office; administrators see all), a filed appeal, and its enrollment still the
    current attempt in the status appealed. So every row may be decided by this person, and
    the home page offers "Decide" on each without judging the rule row by row (a query per
    row); tests/ctpat/test_home.py checks the two agree."""
    if not _deciding_supervisor(user):
        return Appeal.objects.none()
    return (
        Appeal.objects.visible_to(user)
        .filter(
            status=AppealStatus.FILED,
            enrollment__is_current=True,
            enrollment__status=F("appealed_status"),
        )
        .select_related("enrollment__partner")
        .order_by("filed_on", "pk")
    )


def plans_awaiting_decision(user: User) -> QuerySet[CorrectiveActionPlan]:
    """Submitted corrective action plans this person may accept or return, oldest submitted
    first: can_decide_corrective_action_plan in SQL (a supervisor of the partner's office,
    a submitted plan), so each row's "Decide" is one the service accepts."""
    if not _deciding_supervisor(user):
        return CorrectiveActionPlan.objects.none()
    return (
        CorrectiveActionPlan.objects.visible_to(user)
        .filter(status=PlanStatus.SUBMITTED)
        .select_related("enrollment__partner")
        .order_by("submitted_at", "pk")
    )


def partner_rows(ids: Iterable[int]) -> QuerySet[Partner]:
    """The rows of one page of the list (ids already filtered and scoped by partner_list)."""
    return Partner.objects.filter(pk__in=ids).select_related("field_office", "specialist")


def partner_export(user: User, queryset: QuerySet[Partner]) -> QuerySet[Partner]:
    """The filtered list with identifiers, for CSV, streamed in chunks."""
    return queryset.select_related("field_office", "specialist").prefetch_related(
        Prefetch("identifiers", queryset=PartnerIdentifier.objects.order_by("kind", "value"))
    )


def partner_for(user: User, partner_id: int) -> Partner:
    """One partner the user may see, or 404."""
    return get_object_or_404(
        Partner.objects.visible_to(user).select_related(
            "field_office", "specialist", "national_account_manager"
        ),
        pk=partner_id,
    )


@dataclass
class PartnerPage:
    partner: Partner
    identifiers: list
    sites: list
    memberships: list
    invitations: list
    enrollments: list
    profile_reviews: list
    notification_letters: list
    deadlines: list
    timeline: list
    moves: dict = field(default_factory=dict)
    holds: dict = field(default_factory=dict)  # why a move is not offered (move_holds)
    earlier_attempts: list = field(default_factory=list)
    plans: dict = field(default_factory=dict)  # enrollment id -> plan of its suspension
    appeals: list = field(default_factory=list)

    @property
    def security(self) -> Enrollment | None:
        return next((e for e in self.enrollments if e.program == Program.SECURITY), None)

    @property
    def trade_compliance(self) -> Enrollment | None:
        return next((e for e in self.enrollments if e.program == Program.TRADE_COMPLIANCE), None)

    @property
    def company_officer(self) -> User | None:
        return next((m.user for m in self.memberships if m.role == "company_officer"), None)


def partner_page(user: User, partner_id: int, timeline_limit: int = 30) -> PartnerPage:
    """Everything the partner page shows, in a fixed number of queries."""
    partner = partner_for(user, partner_id)
    prefetch_related_objects([partner], "enrollments")  # the page's predicates read them too
    enrollments = list(partner.enrollments.all())
    reviews = list(
        ProfileReview.objects.filter(enrollment__partner=partner).select_related("submitted_by")
    )
    letters = list(
        NotificationLetter.objects.filter(enrollment__partner=partner).select_related(
            "submitted_by"
        )
    )
    invitations = list(partner.invitations.select_related("invited_by"))
    page = PartnerPage(
        partner=partner,
        identifiers=list(partner.identifiers.all()),
        sites=list(partner.sites.all()),
        memberships=list(partner.memberships.select_related("user")),
        invitations=[i for i in invitations if not (i.accepted_at or i.revoked_at)]
        if user.is_cbp_staff
        else [],
        enrollments=enrollments,
        profile_reviews=reviews,
        notification_letters=letters,
        deadlines=deadlines_for_partner(
            partner,
            enrollments=enrollments,
            profile_reviews=reviews,
            notification_letters=letters,
        ),
        timeline=partner_timeline(
            partner,
            user,
            limit=timeline_limit,
            profile_reviews=reviews,
            notification_letters=letters,
            # Invitations waiting for someone are CBP's business until accepted.
            invitations=invitations if user.is_cbp_staff else [],
        ),
    )
    page.moves = {e.pk: permissions.allowed_enrollment_moves(user, e) for e in enrollments}
    page.holds = {e.pk: permissions.move_holds(user, e) for e in enrollments}
    page.earlier_attempts = earlier_attempts(partner)
    suspension_letters = {e.pk: e.suspended_on for e in enrollments if e.suspended_on}
    if suspension_letters:  # the plan answering each suspension letter in force
        plans = (
            CorrectiveActionPlan.objects.filter(enrollment_id__in=suspension_letters)
            .select_related("decided_by")
            .prefetch_related("actions", evidence_listed_for(user, "actions__"))
        )
        page.plans = {
            p.enrollment_id: p
            for p in plans
            if suspension_letters[p.enrollment_id] == p.suspended_on
        }
        for p in page.plans.values():
            p.enrollment = next(e for e in enrollments if e.pk == p.enrollment_id)
    page.appeals = list(
        Appeal.objects.filter(enrollment__partner=partner).select_related(
            "enrollment", "filed_by", "decided_by"
        )
    )
    for item in [*page.appeals, *page.plans.values()]:
        item.enrollment.partner = partner  # the rules read it: no query per row
    return page


def earlier_attempts(partner: Partner) -> list[Enrollment]:
    """The partner's attempts before the current one in each program, newest first, with
    their moves."""
    return list(
        Enrollment.attempts.filter(partner=partner, is_current=False)
        .order_by("program", "-attempt")
        .prefetch_related(
            Prefetch("events", queryset=EnrollmentEvent.objects.select_related("actor"))
        )
    )


def evidence_listed_for(user, path: str = "") -> Prefetch:
    """Each corrective action's evidence `user` may see listed, as `listed_evidence`."""
    return Prefetch(
        f"{path}evidence",
        queryset=CorrectiveActionEvidence.objects.listed_for(user),
        to_attr="listed_evidence",
    )


def plan_actions(plan: CorrectiveActionPlan, user) -> list[CorrectiveAction]:
    """The plan's objectives, each with the evidence `user` may see listed."""
    return list(plan.actions.prefetch_related(evidence_listed_for(user)))


def corrective_action_plan(enrollment: Enrollment) -> CorrectiveActionPlan | None:
    """The plan answering the enrollment's suspension in force, if one was started."""
    if not enrollment.suspended_on:
        return None
    return (
        CorrectiveActionPlan.objects.filter(
            enrollment=enrollment, suspended_on=enrollment.suspended_on
        )
        .prefetch_related("actions")
        .first()
    )


# --- Timeline -----------------------------------------------------------------------


HISTORY_TYPE = {"+": "added", "~": "changed", "-": "removed"}
# Foreign keys shown by name rather than id in the timeline.
FK_MODELS = {"field_office": FieldOffice, "specialist": User, "national_account_manager": User}


def _display(model, field_name, value, names):
    if value in (None, ""):
        return "—"
    model_field = model._meta.get_field(field_name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if field_name in FK_MODELS:
        return names.get((field_name, value), f"#{value}")
    return str(value)


def _history_entries(records, model, tracked, title, names):
    """Turn simple-history rows (oldest first) into entries with before/after pairs."""
    previous: dict[int, Any] = {}  # id -> its last simple-history row
    entries = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        if record.history_type == "~" and before is not None:
            for name, label in tracked:
                old, new = getattr(before, name), getattr(record, name)
                if old != new:
                    changes.append(
                        (
                            label,
                            _display(model, name, old, names),
                            _display(model, name, new, names),
                        )
                    )
        entries.append(
            TimelineEntry(
                at=record.history_date,
                actor=record.history_user,
                title=title(record, HISTORY_TYPE[record.history_type]),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous[record.id] = record
    return entries


def _tracked(model, exclude=("id", "partner", "created_at", "updated_at")):
    return [
        (f.attname if f.is_relation else f.name, f.verbose_name.capitalize())
        for f in model._meta.concrete_fields
        if f.name not in exclude and f.editable
    ]


def partner_timeline(
    partner: Partner,
    viewer: User,
    limit: int | None = None,
    *,
    profile_reviews: Iterable[ProfileReview] | None = None,
    notification_letters: Iterable[NotificationLetter] | None = None,
    invitations: Iterable[Invitation] | None = None,
) -> list[TimelineEntry]:
    """Every recorded change to the partner, newest first: field edits with before and
    after, enrollment moves, submissions and invitations. One query per source; sources
    the caller already loaded are passed in and not read again."""
    cap = 1000  # a partner's record is small; the cap only bounds a pathological one

    def history(model, **where):
        rows = model.history.filter(**where).select_related("history_user")
        return list(rows.order_by("history_date")[:cap])

    partner_rows = history(Partner, id=partner.pk)
    site_rows = history(Site, partner_id=partner.pk)
    identifier_rows = history(PartnerIdentifier, partner_id=partner.pk)
    membership_rows = list(
        Membership.history.filter(partner_id=partner.pk)
        .select_related("history_user", "user")
        .order_by("history_date")[:cap]
    )
    fk_ids = {
        (name, getattr(row, f"{name}_id"))
        for row in partner_rows
        for name in FK_MODELS
        if getattr(row, f"{name}_id")
    }
    names: dict[tuple[str, int], str] = {}
    office_ids = [pk for name, pk in fk_ids if name == "field_office"]
    user_ids = [pk for name, pk in fk_ids if name != "field_office"]
    if office_ids:
        names |= {
            ("field_office", o.pk): o.name for o in FieldOffice.objects.filter(pk__in=office_ids)
        }
    if user_ids:
        people = {u.pk: u.full_name for u in User.objects.filter(pk__in=user_ids)}
        names |= {(n, pk): people[pk] for n, pk in fk_ids if n != "field_office" and pk in people}

    if profile_reviews is None:
        profile_reviews = ProfileReview.objects.filter(enrollment__partner=partner).select_related(
            "submitted_by"
        )[:cap]
    if notification_letters is None:
        notification_letters = NotificationLetter.objects.filter(
            enrollment__partner=partner
        ).select_related("submitted_by")[:cap]
    if invitations is None:
        invitations = Invitation.objects.filter(partner=partner).select_related("invited_by")[:cap]

    partner_fields = _tracked(Partner)
    site_fields = _tracked(Site)
    entries = chain(
        _history_entries(
            partner_rows,
            Partner,
            partner_fields,
            lambda r, verb: "Partner record created" if verb == "added" else "Profile changed",
            names,
        ),
        _history_entries(
            site_rows, Site, site_fields, lambda r, verb: f"Site {r.name} {verb}", names
        ),
        _history_entries(
            identifier_rows,
            PartnerIdentifier,
            [],
            lambda r, verb: f"Identifier {r.get_kind_display()} {r.value} {verb}",
            names,
        ),
        _history_entries(
            membership_rows,
            Membership,
            [("role", "Role")],
            lambda r, verb: f"{r.user.full_name} ({r.get_role_display()}) {verb} as a user",
            names,
        ),
        (
            TimelineEntry(
                at=e.at,
                actor=e.actor,
                title=f"{e.enrollment.get_program_display()}"
                + (f" (attempt {e.enrollment.attempt})" if e.enrollment.attempt > 1 else "")
                + ": "
                + (
                    f"{e.get_from_status_display()} → {e.get_to_status_display()}"
                    if e.from_status
                    else f"application received ({e.get_to_status_display()})"
                )
                + (f", Tier {e.tier}" if e.tier and e.to_status == Status.VALIDATED else "")
                + (" (as a consequence of Security)" if e.caused_by_id else ""),
                reason=e.reason,
            )
            for e in EnrollmentEvent.objects.filter(enrollment__partner=partner)
            .select_related("actor", "enrollment")
            .order_by("-at")[:cap]
        ),
        (
            TimelineEntry(
                at=r.submitted_at,
                actor=r.submitted_by,
                title=f"Annual security profile review submitted (due {r.due_on:%b %-d, %Y})",
                reason=r.statement,
            )
            for r in profile_reviews
        ),
        (
            TimelineEntry(
                at=r.submitted_at,
                actor=r.submitted_by,
                title=f"Annual Notification Letter submitted (due {r.due_on:%b %-d, %Y})",
                reason=r.attestation,
            )
            for r in notification_letters
        ),
        _plan_and_appeal_entries(partner, cap),
        (
            TimelineEntry(
                at=i.created_at,
                actor=i.invited_by,
                title=f"Invitation sent to {i.email} as {i.get_role_display().lower()}",
            )
            for i in invitations
        ),
    )
    entries = chain(entries, entries_from_other_apps(partner, viewer))
    ordered = sorted(entries, key=lambda entry: entry.at, reverse=True)
    return ordered[:limit] if limit else ordered


def _plan_and_appeal_entries(partner: Partner, cap: int) -> list[TimelineEntry]:
    """Corrective action plans submitted and decided, appeals filed and decided."""
    entries = []
    plans = CorrectiveActionPlan.objects.filter(
        enrollment__partner=partner, submitted_at__isnull=False
    ).select_related("created_by", "decided_by")[:cap]
    for plan in plans:
        entries.append(
            TimelineEntry(
                at=plan.submitted_at,
                actor=plan.created_by,
                title=f"Corrective action plan submitted (suspension letter of "
                f"{plan.suspended_on:%b %-d, %Y})",
                reason=plan.summary,
            )
        )
        if plan.decided_at:
            entries.append(
                TimelineEntry(
                    at=plan.decided_at,
                    actor=plan.decided_by,
                    title=f"Corrective action plan {PLAN_STATE[PlanStatus(plan.status)]}",
                    reason=plan.decision_reason,
                )
            )
    appeals = Appeal.objects.filter(enrollment__partner=partner).select_related(
        "filed_by", "decided_by", "enrollment"
    )[:cap]
    for appeal in appeals:
        entries.append(
            TimelineEntry(
                at=appeal.created_at,
                actor=appeal.filed_by,
                title=f"Appeal filed against the {ENROLLMENT_STATE[Status(appeal.appealed_status)]} "
                f"{appeal.enrollment.get_program_display()} enrollment",
                reason=appeal.grounds,
            )
        )
        if appeal.decided_at:
            entries.append(
                TimelineEntry(
                    at=appeal.decided_at,
                    actor=appeal.decided_by,
                    title=f"Appeal {APPEAL_STATE[AppealStatus(appeal.status)]}",
                    reason=appeal.decision_reason,
                )
            )
    return entries


def second_factor_required(user: User) -> bool:
    """Whether a company the person works for requires a second factor (registered as the
    `second_factor_required` extension point, which accounts.mfa asks)."""
    return Partner.objects.filter(memberships__user=user, require_second_factor=True).exists()


def memberships_of(user: User) -> QuerySet[Membership]:
    """The partners a partner user belongs to, for their 'My company' page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("partner")
        .order_by("partner__legal_name")
    )


def memberships_with_enrollments(user: User) -> QuerySet[Membership]:
    """memberships_of with each partner's enrollments loaded (one more query in all), for
    the partner user's home page."""
    return memberships_of(user).prefetch_related("partner__enrollments")


# --- The compliance dashboard's figures (dashboard.summary reads these) -----------------

DIMENSIONS = {
    "dim_office": F("field_office_id"),
    "dim_specialist": F("specialist_id"),
    "dim_entity": F("entity_type"),
}


def dashboard_rows(today: date) -> Iterator[dict[str, Any]]:
    """Rows of (panel, bucket, program, office, specialist, entity_type, value): partners by
    program, status and tier (from the partner's copy of its statuses), and the number of
    partners meeting each named condition (ctpat.partner_filters), grouped in the database
    by field office, specialist and entity type: the dashboard's filters."""
    for row in (
        Partner.objects.exclude(security_status="")
        .values(**DIMENSIONS, status=F("security_status"), tier=F("security_tier"))
        .annotate(value=Count("pk"))
        .order_by()
    ):
        bucket = f"{row.pop('status')}:{row.pop('tier') or ''}"
        yield {"panel": "partners", "program": Program.SECURITY, "bucket": bucket, **row}
    for row in (
        Partner.objects.exclude(trade_compliance_status="")
        .values(**DIMENSIONS, bucket=F("trade_compliance_status"))
        .annotate(value=Count("pk"))
        .order_by()
    ):
        yield {"panel": "partners", "program": Program.TRADE_COMPLIANCE, **row}
    for condition in partner_filters.conditions().values():
        for row in (
            Partner.objects.filter(condition.condition(today))
            .values(**DIMENSIONS)
            .annotate(value=Count("pk"))
            .order_by()
        ):
            yield {
                "panel": "condition",
                "program": condition.program,
                "bucket": condition.code,
                **row,
            }
