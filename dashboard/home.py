"""What each role's home page shows, assembled from the apps' selectors and the deadline
registry. Nothing here queries by itself; each piece is one selector call with a fixed
number of queries, so the pages' query counts do not grow with rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from benefits.selectors import benefits_for_partner
from ctpat.deadlines import deadlines_for_partner, due_items
from deadlines import selectors as deadlines
from deadlines.permissions import extendable_among
from forced_labor import selectors as forced_labor
from forced_labor.choices import RequirementState
from notifications import selectors as notifications
from partners import selectors as partners
from validations import selectors as validations

# How far ahead "due soon" looks, and how many rows each list shows before "see all".
DUE_SOON_DAYS = 30
SHORT = 5
LONG = 10
DEADLINES = 25


@dataclass
class Preview:
    """The first rows of a list and how many there are in all."""

    count: int
    rows: list

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def preview(rows, size: int) -> Preview:
    """From a queryset (a count and a slice: two queries) or an already-read list."""
    if isinstance(rows, list):
        return Preview(len(rows), rows[:size])
    count = rows.count()
    return Preview(count, list(rows[:size]) if count else [])


def _due(partner_ids, today, days: int):
    """Open deadlines of these partners due within `days` (negative: overdue only),
    soonest first, split into overdue and due soon."""
    items = sorted(
        due_items(today + timedelta(days=days), partner_ids=partner_ids),
        key=lambda i: (i.due_on, i.partner_name, i.label),
    )
    overdue = [i for i in items if i.due_on < today]
    soon = [i for i in items if i.due_on >= today]
    return preview(overdue, DEADLINES), preview(soon, DEADLINES)


def specialist_home(user) -> dict:
    """My partners, validations I lead, partners' responses to required actions waiting for
    my decision, submissions and extension requests of my partners waiting for me, and my
    partners' deadlines: overdue and due within DUE_SOON_DAYS."""
    today = timezone.localdate()
    mine = partners.partners_of_specialist(user)
    overdue, due_soon = _due(mine.values("pk"), today, DUE_SOON_DAYS)
    queue = forced_labor.review_queue(user, specialist=user).select_related(
        "partner", "requirement"
    )
    return {
        "partners": preview(mine, LONG),
        "validations": preview(validations.validations_led_by(user), LONG),
        "responses": preview(validations.responses_awaiting_decision(user), SHORT),
        "queue": preview(queue, SHORT),
        "extensions": preview(deadlines.pending_extension_requests(user, specialist=user), SHORT),
        "overdue": overdue,
        "due_soon": due_soon,
        "due_soon_days": DUE_SOON_DAYS,
        "due_soon_label": f"Due in the next {DUE_SOON_DAYS} days",
    }


def office_home(user) -> dict:
    """Supervisors and administrators: decisions waiting for them (validation reports to
    review, appeals, corrective action plans, consequences, extension requests, forced-labor
    documents) and the office's overdue items. An administrator's office is every partner,
    which the dashboard covers; the overdue list is a supervisor's only.

    Each queue's selector keeps only what this person may decide (its `can_*` rule in SQL),
    so every row's decision button is one the service accepts, with no rule judged per row."""
    today = timezone.localdate()
    queue = forced_labor.review_queue(user).select_related("partner", "requirement")
    context = {
        "reviews": preview(validations.validations_awaiting_review(user), SHORT),
        "appeals": preview(partners.appeals_awaiting_decision(user), SHORT),
        "plans": preview(partners.plans_awaiting_decision(user), SHORT),
        "consequences": preview(deadlines.open_consequences(user), SHORT),
        "extensions": preview(deadlines.pending_extension_requests(user), SHORT),
        "queue": preview(queue, SHORT),
        "overdue": None,
    }
    if user.field_office_id:
        office = partners.partner_list(user).values("pk")
        context["overdue"], _ = _due(office, today, -1)
    return context


@dataclass
class CompanyHome:
    """One of a partner user's companies as its home page shows it."""

    membership: object
    enrollments: list
    deadlines: list
    document_requests: list
    required_actions: list
    documentation: object  # forced_labor.selectors.Documentation
    benefits: list = field(default_factory=list)  # those that apply now

    @property
    def partner(self):
        return self.membership.partner

    @property
    def uploads_needed(self) -> list:
        return [row for row in self.documentation.rows if row.needs_upload]

    @property
    def uploads_accepted(self) -> int:
        return sum(row.state == RequirementState.ACCEPTED for row in self.uploads_needed)


def _by_partner(rows: Iterable, partner_of) -> dict[int, list]:
    grouped = {}
    for row in rows:
        grouped.setdefault(partner_of(row), []).append(row)
    return grouped


def partner_home(user) -> dict:
    """Each company the partner user belongs to (theirs only: read through their
    memberships), with its programs, deadlines, open requests, forced-labor state and
    benefits; then their unread notifications.

    Requests and actions are read for all companies at once; the rest costs a fixed
    number of queries per company (documentation, extensions, the benefit catalogue)."""
    memberships = list(partners.memberships_with_enrollments(user))
    ids = [m.partner_id for m in memberships]
    requests = _by_partner(
        validations.open_document_requests(ids), lambda r: r.validation.enrollment.partner_id
    )
    actions = _by_partner(
        validations.open_required_actions(ids),
        lambda a: a.finding.validation.enrollment.partner_id,
    )
    companies = []
    for membership in memberships:
        partner = membership.partner
        enrollments = list(partner.enrollments.all())
        documentation = forced_labor.documentation(partner, enrollments)
        own_requests, own_actions = requests.get(partner.pk, []), actions.get(partner.pk, [])
        companies.append(
            CompanyHome(
                membership=membership,
                enrollments=enrollments,
                deadlines=deadlines_for_partner(
                    partner,
                    enrollments=enrollments,
                    documentation=documentation,
                    document_requests=own_requests,
                    required_actions=own_actions,
                ),
                document_requests=own_requests,
                required_actions=own_actions,
                documentation=documentation,
                benefits=[
                    b
                    for b in benefits_for_partner(
                        partner, enrollments=enrollments, documentation=documentation
                    )
                    if b.applies
                ],
            )
        )
    return {
        "companies": companies,
        "extendable": extendable_among(
            user, [(c.membership.partner, c.deadlines) for c in companies]
        ),
        "notifications": list(notifications.unread(user)[:SHORT]),
    }
