from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.audit import partner_along
from ctpat.models import RenderedReport, StoredDocument, StoredDocumentQuerySet
from partners.choices import EntityType
from partners.models import PartnerScopedQuerySet

from .choices import ActionStatus, Kind, Level, Mode, RequestStatus, Result, SourceKind, Status


class ValidationScopedQuerySet(PartnerScopedQuerySet):
    """visible_to(user) for the things that belong to a validation."""

    partner_path = "validation__enrollment__partner"


# --- The Minimum Security Criteria ----------------------------------------------------


class FocusArea(models.Model):
    """One of the three focus areas of the Minimum Security Criteria."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.name


class Category(models.Model):
    """One of the twelve categories, numbered as the criteria IDs are (category.number)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="categories")

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "categories"

    def __str__(self):
        return f"{self.number}. {self.name}"


class CriterionSource(models.Model):
    """Where criteria come from: one of CBP's Minimum Security Criteria booklets (a U.S.
    government publication), or the project's own reading where no booklet for an entity type
    was found (its subset is then derived from the booklets that were). Each criterion version
    names its source; `entity_types` lists the types whose subset the source gives."""

    key = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    title = models.CharField(max_length=200)
    published_on = models.DateField(
        help_text=_("A booklet's date (its month; the day is the 1st), or the reading's date.")
    )
    entity_types = models.CharField(
        max_length=400, blank=True, help_text=_("Entity type codes separated by ';'.")
    )
    note = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["kind", "key"]

    def __str__(self):
        return f"{self.title} ({self.published_on:%B %Y})"


class Criterion(models.Model):
    """A criterion's identity (ID 3.9) and the entity types it applies to.

    What it says and whether it is a Must or a Should live in its dated versions, so a
    validation keeps the wording and level in force on its date.
    """

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="criteria")
    number = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=10, unique=True, editable=False)

    class Meta:
        ordering = ["category__number", "number"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["category", "number"], name="one_criterion_per_number")
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.code = f"{self.category.number}.{self.number}"
        super().save(*args, **kwargs)


class CriterionApplicability(models.Model):
    """Criterion X applies to entity type Y ("ID numbers not listed are not applicable")."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="applies_to")
    entity_type = models.CharField(max_length=30, choices=EntityType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "entity_type"], name="applies_once")
        ]

    def __str__(self):
        return f"{self.criterion} applies to {self.get_entity_type_display()}"


class CriterionVersion(models.Model):
    """What a criterion says, and its level, from a date on. Never edited once used."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField()
    level = models.CharField(max_length=10, choices=Level.choices)
    text = models.TextField()
    guidance = models.TextField("implementation guidance", blank=True)
    source = models.ForeignKey(
        CriterionSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        help_text=_("The booklet (or reading) this version's ID, level and subset come from."),
    )

    class Meta:
        ordering = ["criterion__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "effective_from"], name="one_version_per_date"
            )
        ]

    def __str__(self):
        return f"{self.criterion} ({self.get_level_display()}, from {self.effective_from})"


# --- Validations ----------------------------------------------------------------------


class ValidationQuerySet(PartnerScopedQuerySet):
    partner_path = "enrollment__partner"


class Validation(models.Model):
    """A validation of a partner's Security enrollment against the criteria of its date."""

    enrollment = models.ForeignKey(
        "partners.Enrollment", on_delete=models.PROTECT, related_name="validations"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PLANNED)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_validations"
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="validation_teams"
    )
    approving_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approved_validations"
    )
    sites = models.ManyToManyField("partners.Site", blank=True, related_name="validations")
    planned_start = models.DateField()
    planned_end = models.DateField()
    criteria_date = models.DateField(
        help_text="The criteria in force on this date are the ones the partner is judged by."
    )
    outcome_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    failed = models.BooleanField(
        default=False, help_text="Approved with a recommendation to suspend the partner."
    )
    approved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = ValidationQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start", "-pk"]
        indexes = [
            models.Index(fields=["status", "planned_start"], name="validation_status_idx"),
            models.Index(fields=["lead", "status"], name="validation_lead_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="validation_ends_after_it_starts",
                condition=Q(planned_end__gte=models.F("planned_start")),
                violation_error_message="The validation cannot end before it starts.",
            ),
            models.CheckConstraint(
                name="outcome_tier_2_or_3",
                condition=Q(outcome_tier__isnull=True) | Q(outcome_tier__in=[2, 3]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.enrollment.partner} ({self.planned_start})"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "enrollment__partner")

    @property
    def partner(self):
        return self.enrollment.partner


class ValidationEvent(models.Model):
    """One move of a validation: who, when, from what to what, and the comment."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="events")
    move = models.CharField(max_length=30)
    from_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    internal = models.BooleanField(
        default=True, help_text="Internal comments (a supervisor's return) are CBP's only."
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.validation}: {self.from_status or '-'} -> {self.to_status}"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "validation__enrollment__partner")


class DocumentRequestTemplate(models.Model):
    """A standard document asked of every partner of an entity type in a kind of validation."""

    entity_type = models.CharField(max_length=30, choices=EntityType.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["entity_type", "kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity_type", "kind", "name"], name="one_template_per_document"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_entity_type_display()}, {self.get_kind_display()})"


class DocumentRequest(models.Model):
    """A named document the specialist asks the partner for, with a due date."""

    validation = models.ForeignKey(
        Validation, on_delete=models.CASCADE, related_name="document_requests"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Satisfied by a document the partner already gave CBP (fewer redundant requests).
    on_file = models.ForeignKey(
        "DocumentUpload",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reused_by",
    )
    on_file_note = models.CharField(max_length=200, blank=True)
    # Withdrawn by the team (no longer needed), with the reason the partner reads.
    withdrawn_reason = models.TextField(blank=True)

    objects = ValidationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["validation", "name"], name="one_request_per_name")
        ]

    def __str__(self):
        return self.name

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "validation__enrollment__partner")


# django-stubs 5.2 types `as_manager` of each QuerySet base apart, and takes two bases for a
# mismatch; Django builds the one manager of both.
class DocumentUploadQuerySet(PartnerScopedQuerySet, StoredDocumentQuerySet):  # type: ignore[override]
    partner_path = "request__validation__enrollment__partner"


class DocumentUpload(StoredDocument):
    """A file the partner uploaded in answer to a document request."""

    request = models.ForeignKey(DocumentRequest, on_delete=models.PROTECT, related_name="uploads")

    objects = DocumentUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def get_download_url(self) -> str:
        return reverse("validations:upload_download", args=[self.pk])

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "request__validation__enrollment__partner")


class Finding(models.Model):
    """The result of one applicable criterion (in the version the validation is judged by)."""

    validation = models.ForeignKey(Validation, on_delete=models.CASCADE, related_name="findings")
    criterion_version = models.ForeignKey(
        CriterionVersion, on_delete=models.PROTECT, related_name="findings"
    )
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    narrative = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ValidationScopedQuerySet.as_manager()

    class Meta:
        ordering = [
            "criterion_version__criterion__category__number",
            "criterion_version__criterion__number",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["validation", "criterion_version"], name="one_finding_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion_version.criterion}: {self.get_result_display() or 'not assessed'}"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "validation__enrollment__partner")


class RequiredActionQuerySet(PartnerScopedQuerySet):
    partner_path = "finding__validation__enrollment__partner"


class RequiredAction(models.Model):
    """A corrective action the partner must take, its response, and CBP's decision."""

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="action")
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    objects = RequiredActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="required_action_due_idx")]

    def __str__(self):
        return f"Required action on {self.finding.criterion_version.criterion}"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "finding__validation__enrollment__partner")


# django-stubs 5.2 types `as_manager` of each QuerySet base apart, and takes two bases for a
# mismatch; Django builds the one manager of both.
class ActionDocumentQuerySet(PartnerScopedQuerySet, StoredDocumentQuerySet):  # type: ignore[override]
    partner_path = "action__finding__validation__enrollment__partner"


class ActionDocument(StoredDocument):
    """A file the partner gave as evidence of a corrective action."""

    action = models.ForeignKey(RequiredAction, on_delete=models.PROTECT, related_name="documents")

    objects = ActionDocumentQuerySet.as_manager()

    def get_download_url(self) -> str:
        return reverse("validations:action_document_download", args=[self.pk])

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "action__finding__validation__enrollment__partner")


class IssuedReport(RenderedReport):
    """A version of a validation's PDF report: rendered once, stored, never overwritten.

    `snapshot` is the data it was made from; `sha256` lets verify_reports prove the
    stored file is the one issued.
    """

    validation = models.ForeignKey(Validation, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField()

    objects = ValidationScopedQuerySet.as_manager()
    render_task = "validations.render_report"

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["validation", "version"], name="one_report_per_version")
        ]

    def __str__(self):
        return f"Report v{self.version} of {self.validation}"

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "validation__enrollment__partner")

    def get_label(self) -> str:
        return f"Report version {self.version}"

    def get_key(self) -> str:
        return f"v{self.version}"

    def get_download_url(self) -> str:
        return reverse("validations:report_download", args=[self.validation_id, self.pk])

    def get_retry_url(self) -> str:
        return reverse("validations:report_retry", args=[self.validation_id, self.pk])
