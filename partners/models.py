from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.audit import partner_along
from accounts.choices import FIELD_OFFICE_ROLES, Role
from ctpat.models import StoredDocument, StoredDocumentQuerySet

from .choices import (
    CLOSED,
    ELIGIBILITY_QUESTIONS,
    IMPORTERS,
    AppealStatus,
    EntityType,
    HighwayBorder,
    IdentifierKind,
    MembershipRole,
    Move,
    PlanStatus,
    Program,
    SiteKind,
    Status,
    SuspensionCause,
)


def status_label(status: str, tier: int | None = None) -> str:
    """ "Validated (Tier 2)", "Suspended": a program status as people read it."""
    label = Status(status).label
    if tier and status in (Status.CERTIFIED, Status.VALIDATED):
        label += f" (Tier {tier})"
    return label


def partner_scope(user, path: str = "") -> Q:
    """The one rule of who sees which partners, as a filter on `path` (a partner lookup).

    Partner users see the partners they are members of; CBP specialists and
    supervisors the partners of their field office; administrators all of them.
    Anyone else, or an inactive account, sees nothing.
    """
    prefix = f"{path}__" if path else ""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.ADMINISTRATOR:
        return Q()
    if user.role in FIELD_OFFICE_ROLES:
        return Q(**{f"{prefix}field_office_id": user.field_office_id})
    if user.role == Role.PARTNER:
        return Q(**{f"{prefix}memberships__user": user})
    return Q(pk__in=[])


class PartnerScopedQuerySet(models.QuerySet):
    """`visible_to(user)` for a model reached from Partner through `partner_path`."""

    partner_path = "partner"

    def visible_to(self, user):
        return self.filter(partner_scope(user, self.partner_path))


class PartnerQuerySet(PartnerScopedQuerySet):
    partner_path = ""


class EnrollmentScopedQuerySet(PartnerScopedQuerySet):
    partner_path = "enrollment__partner"


class Partner(models.Model):
    """A company in the program: its profile, identifiers, sites, people and enrollments."""

    legal_name = models.CharField(max_length=200)
    dba_name = models.CharField("doing business as", max_length=200, blank=True)
    entity_type = models.CharField(max_length=30, choices=EntityType.choices)
    highway_border = models.CharField(
        max_length=20,
        choices=HighwayBorder.choices,
        blank=True,
        help_text="Highway carriers only. A carrier that crosses both borders applies as "
        "U.S./Mexico.",
    )
    account_number = models.CharField(
        "CTPAT account number", max_length=12, unique=True, editable=False
    )
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField("state or province", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField()
    field_office = models.ForeignKey(
        "accounts.FieldOffice", on_delete=models.PROTECT, related_name="partners"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_partners",
        limit_choices_to={"role": Role.SPECIALIST, "is_active": True},
        help_text="The supply chain security specialist assigned to this partner.",
    )
    national_account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_accounts",
        limit_choices_to={"role__in": [Role.SPECIALIST, Role.SUPERVISOR], "is_active": True},
        help_text="CBP's point of contact for Trade Compliance.",
    )
    importing_since = models.DateField(
        null=True, blank=True, help_text="First import on record (Trade Compliance needs 2 years)."
    )
    has_unpaid_cbp_debt = models.BooleanField("unpaid CBP debt", default=False)
    require_second_factor = models.BooleanField(
        "second factor required",
        default=False,
        help_text="The company officer's choice: every user of this company must sign in "
        "with a code from an authenticator app as well as the password.",
    )
    # The partner's place in each program, copied from its enrollments by the enrollment
    # services in the same transaction as every move, so the partner list can filter and
    # show them from this one table. The enrollments and their events remain the record.
    security_status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, editable=False
    )
    security_tier = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    trade_compliance_status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "security_status",
            "security_tier",
            "trade_compliance_status",
        ]
    )
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name", "pk"]
        indexes = [
            models.Index(fields=["legal_name", "id"], name="partner_name_idx"),
            models.Index(
                fields=["field_office", "legal_name", "id"], name="partner_office_name_idx"
            ),
            models.Index(fields=["entity_type", "legal_name"], name="partner_type_name_idx"),
            models.Index(fields=["specialist", "legal_name"], name="partner_specialist_name_idx"),
            models.Index(
                fields=["field_office", "security_status", "legal_name", "id"],
                name="partner_office_security_idx",
            ),
            models.Index(
                fields=["security_status", "legal_name", "id"], name="partner_security_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="highway_border_only_for_highway_carriers",
                condition=(
                    Q(entity_type=EntityType.HIGHWAY_CARRIER) & ~Q(highway_border="")
                    | ~Q(entity_type=EntityType.HIGHWAY_CARRIER) & Q(highway_border="")
                ),
                violation_error_message="A highway carrier needs its border; others have none.",
            ),
        ]

    def __str__(self):
        return self.legal_name

    @property
    def is_importer(self) -> bool:
        return self.entity_type in IMPORTERS


class PartnerIdentifier(models.Model):
    """A government or industry identifier of a partner; one partner per identifier."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value = models.CharField(max_length=20, help_text="Stored in its normalized form.")

    history = HistoricalRecords()
    objects = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                name="identifier_belongs_to_one_partner",
                violation_error_message="This identifier already belongs to a partner.",
            )
        ]
        indexes = [models.Index(fields=["value"], name="identifier_value_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value}"


class Site(models.Model):
    """A facility of a partner, at home or abroad; validations visit sites."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=SiteKind.choices)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField("state or province", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField()

    history = HistoricalRecords()
    objects = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.city}, {self.country.name})"

    def clean(self):
        # Domestic means in the United States (CBP's view of a partner's facilities).
        if self.country and self.kind == SiteKind.DOMESTIC and self.country.code != "US":
            raise ValidationError({"kind": "A site outside the United States is foreign."})
        if self.country and self.kind == SiteKind.FOREIGN and self.country.code == "US":
            raise ValidationError({"kind": "A site in the United States is domestic."})


class Membership(models.Model):
    """A partner user's place in a partner company. A consultant may serve several."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "user"], name="one_membership_per_partner"),
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(role=MembershipRole.COMPANY_OFFICER),
                name="one_company_officer_per_partner",
                violation_error_message="This partner already has a company officer.",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.partner})"


class Invitation(models.Model):
    """An emailed, single-use, expiring link that makes someone a partner user.

    Only a SHA-256 digest of the token is stored; the token itself exists only in the
    email, so a database reader cannot accept an invitation.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.partner}"


class CurrentEnrollmentQuerySet(PartnerScopedQuerySet):
    pass


class CurrentEnrollmentManager(models.Manager.from_queryset(CurrentEnrollmentQuerySet)):  # type: ignore[misc]
    """The partner's enrollment in each program: its current attempt, the one place that
    says so. `partner.enrollments`, `Enrollment.objects` and every lookup through them see
    current attempts only; `Enrollment.attempts` sees every attempt (earlier ones for the
    history)."""

    def get_queryset(self):
        return super().get_queryset().filter(is_current=True)


class Enrollment(models.Model):
    """One attempt of a partner at one program (Security or Trade Compliance).

    A partner may apply again after a rejection, withdrawal or removal (the waits are
    program rules): each application is a new attempt, numbered from 1, and the newest is
    the current one (`is_current`). At most one attempt per program is open (not rejected,
    withdrawn or removed) at a time. The status only changes through the services in
    services.py, each of which writes an EnrollmentEvent in the same transaction: the
    events are the enrollment's history.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="enrollments")
    program = models.CharField(max_length=20, choices=Program.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLICANT)
    tier = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Security only: 1 when certified, 2 or 3 when validated."
    )
    applied_on = models.DateField()
    certified_on = models.DateField(null=True, blank=True)
    last_validated_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    suspended_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the suspension letter; the response is due 90 days later.",
    )
    status_before_suspension = models.CharField(
        max_length=20, choices=Status.choices, blank=True, editable=False
    )
    suspension_cause = models.CharField(
        _("cause of suspension"),
        max_length=30,
        choices=SuspensionCause.choices,
        blank=True,
        editable=False,
    )
    suspension_cause_text = models.TextField(
        _("cause of suspension (other)"), blank=True, editable=False
    )
    attempt = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="1 for the first application, 2 for the next, ..."
    )
    is_current = models.BooleanField(
        default=True,
        editable=False,
        help_text="The newest attempt: the partner's enrollment in this program.",
    )
    status_changed_at = models.DateTimeField(auto_now_add=True)
    annual_due_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The next yearly submission owed: the Security profile review or the Trade "
        "Compliance Annual Notification Letter. Set from certification or acceptance, moved on "
        "a cycle by each submission (in the same transaction), so the deadline sweep and the "
        "dashboard find what is due with an indexed comparison.",
    )

    objects = CurrentEnrollmentManager()
    attempts = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["program", "-attempt"]
        base_manager_name = "attempts"
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "program"],
                condition=Q(is_current=True),
                name="one_current_attempt_per_program",
            ),
            models.UniqueConstraint(
                fields=["partner", "program"],
                condition=~Q(status__in=sorted(CLOSED)),
                name="one_open_attempt_per_program",
                violation_error_message=_("The partner already has an open application."),
            ),
            models.UniqueConstraint(
                fields=["partner", "program", "attempt"], name="attempt_numbered_once"
            ),
            models.CheckConstraint(
                name="tier_is_1_2_or_3",
                condition=Q(tier__isnull=True) | Q(tier__in=[1, 2, 3]),
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status", "tier"], name="enrollment_status_idx"),
            models.Index(fields=["annual_due_on"], name="enrollment_annual_due_idx"),
        ]

    def __str__(self):
        return f"{self.partner} · {self.get_program_display()}"

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.tier)

    @property
    def suspension_cause_label(self) -> str:
        if not self.suspension_cause:
            return ""
        if self.suspension_cause == SuspensionCause.OTHER:
            return str(self.suspension_cause_text)
        return str(SuspensionCause(self.suspension_cause).label)


class EnrollmentEvent(models.Model):
    """One move of an enrollment: who, when, from what to what, and why."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")
    move = models.CharField(max_length=20, choices=Move.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    caused_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consequences",
        help_text="Set when this move followed from another (Security suspension suspends "
        "Trade Compliance).",
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["enrollment", "-at"], name="enrollment_event_idx")]

    def __str__(self):
        return f"{self.enrollment}: {self.from_status or '-'} -> {self.to_status}"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "enrollment__partner")


class EligibilityAnswer(models.Model):
    """An answer to the Trade Compliance eligibility questionnaire, as recorded."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="eligibility_answers"
    )
    question = models.CharField(max_length=30, choices=ELIGIBILITY_QUESTIONS)
    answer = models.BooleanField()
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.get_question_display()}: {'yes' if self.answer else 'no'}"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "enrollment__partner")


class ProfileReview(models.Model):
    """The annual Security Profile review, submitted by the company officer for one cycle."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="profile_reviews"
    )
    due_on = models.DateField(help_text="The anniversary this review answers.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(auto_now_add=True)
    statement = models.TextField(help_text="What changed in the company's security profile.")

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "due_on"], name="one_review_per_cycle")
        ]

    def __str__(self):
        return f"Profile review of {self.enrollment.partner} due {self.due_on}"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "enrollment__partner")


class NotificationLetter(models.Model):
    """The Trade Compliance Annual Notification Letter: the officer's yearly attestation."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="notification_letters"
    )
    due_on = models.DateField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(auto_now_add=True)
    attestation = models.TextField()

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "due_on"], name="one_letter_per_cycle")
        ]

    def __str__(self):
        return f"Annual Notification Letter of {self.enrollment.partner} due {self.due_on}"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "enrollment__partner")


class CorrectiveActionPlan(models.Model):
    """The partner's plan to correct what led to a suspension: objectives, each with an
    owner, a due date and evidence. Reinstatement needs an accepted plan for the suspension
    in force (DOMAIN.md: "Reinstatement needs a corrective action plan with objectives and
    timeframes")."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="corrective_action_plans"
    )
    suspended_on = models.DateField(help_text="The suspension letter this plan answers.")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(_("what went wrong and what changes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = EnrollmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "suspended_on"], name="one_plan_per_suspension"
            )
        ]

    def __str__(self):
        return f"Corrective action plan of {self.enrollment.partner} ({self.get_status_display()})"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "enrollment__partner")


class CorrectiveAction(models.Model):
    """One objective of a corrective action plan. What shows it done is uploaded as
    documents (CorrectiveActionEvidence); `note` says what they show."""

    plan = models.ForeignKey(CorrectiveActionPlan, on_delete=models.CASCADE, related_name="actions")
    objective = models.CharField(_("objective"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("Who in the company does it."))
    due_on = models.DateField(_("due date"))
    note = models.TextField(
        _("evidence note"),
        blank=True,
        help_text=_("What the documents uploaded for it show, or will show."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.objective

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "plan__enrollment__partner")


# django-stubs types `as_manager` of each QuerySet base apart (see validations.models).
class CorrectiveActionEvidenceQuerySet(PartnerScopedQuerySet, StoredDocumentQuerySet):  # type: ignore[override]
    partner_path = "action__plan__enrollment__partner"


class CorrectiveActionEvidence(StoredDocument):
    """A document the partner uploaded to show an objective of its plan is done: checked,
    stored and scanned through the one upload path (ctpat.uploads, ctpat.scanning), and
    served only through `visible_to` (another partner's id answers 404)."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.PROTECT, related_name="evidence")

    objects = CorrectiveActionEvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def get_download_url(self) -> str:
        return reverse("partners:plan_evidence_download", args=[self.pk])

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "action__plan__enrollment__partner")


class Appeal(models.Model):
    """A partner's appeal of its suspension or of a rejected application, filed by the
    company officer within the appeal window and decided by a supervisor within the
    decision window (both program rules)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="appeals")
    decision = models.OneToOneField(
        EnrollmentEvent,
        on_delete=models.PROTECT,
        related_name="appeal",
        help_text="The suspension or rejection appealed: one appeal per decision.",
    )
    appealed_status = models.CharField(max_length=20, choices=Status.choices)
    grounds = models.TextField(_("grounds"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=AppealStatus.choices, default=AppealStatus.FILED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = EnrollmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-pk"]
        indexes = [models.Index(fields=["status", "filed_on"], name="appeal_status_idx")]

    def __str__(self):
        return f"Appeal of {self.enrollment.partner} ({self.get_status_display()})"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "enrollment__partner")
