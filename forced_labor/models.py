from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.audit import partner_along
from ctpat.models import StoredDocument, StoredDocumentQuerySet
from partners.models import PartnerScopedQuerySet

from .choices import Handling, SubmissionStatus


class Requirement(models.Model):
    """One of the six forced-labor documentation requirements of Trade Compliance."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=120)
    asks_public_url = models.BooleanField(
        default=False, help_text="The code of conduct must also be published on the web."
    )

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class RequirementVersion(models.Model):
    """What a requirement asks, from a date: uploaded or kept on request, and guidance."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField()
    handling = models.CharField(max_length=20, choices=Handling.choices)
    guidance = models.TextField()

    class Meta:
        ordering = ["requirement__number", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "effective_from"], name="one_requirement_version_per_date"
            )
        ]

    def __str__(self):
        return f"{self.requirement} from {self.effective_from}"


class Submission(models.Model):
    """One version of a partner's documentation for one requirement.

    Never edited once submitted: a correction is a new version, which supersedes this one.
    The review (accept, or return with a reason) is recorded on it.
    """

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="forced_labor_submissions"
    )
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    requirement_version = models.ForeignKey(
        RequirementVersion, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    effective_on = models.DateField(help_text="The date the document took effect.")
    notes = models.TextField(blank=True)
    public_url = models.URLField(blank=True, max_length=500)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(
        max_length=20,
        choices=SubmissionStatus.choices,
        blank=True,
        help_text="Kept when superseded.",
    )
    review_reason = models.TextField(blank=True)

    objects = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["requirement__number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "requirement", "version"], name="one_submission_per_version"
            )
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="submission_queue_idx"),
            models.Index(
                fields=["partner", "requirement", "-version"], name="submission_latest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.requirement} v{self.version} of {self.partner}"


# django-stubs 5.2 types `as_manager` of each QuerySet base apart, and takes two bases for a
# mismatch; Django builds the one manager of both.
class SubmissionFileQuerySet(PartnerScopedQuerySet, StoredDocumentQuerySet):  # type: ignore[override]
    partner_path = "submission__partner"


class SubmissionFile(StoredDocument):
    """A file of a submission (see ctpat.uploads for how it was checked and stored)."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")

    objects = SubmissionFileQuerySet.as_manager()

    def get_download_url(self) -> str:
        return reverse("forced_labor:file", args=[self.pk])

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "submission__partner")


class RiskAssessmentCoverage(models.Model):
    """A specialist's check that the partner's risk assessment covers forced labor
    (CTPAT alert of 22 March 2023), with the date it was checked."""

    partner = models.OneToOneField(
        "partners.Partner", on_delete=models.CASCADE, related_name="forced_labor_risk_check"
    )
    checked_on = models.DateField()
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    note = models.CharField(max_length=300, blank=True)

    objects = PartnerScopedQuerySet.as_manager()

    def __str__(self):
        return f"Risk assessment of {self.partner} covers forced labor ({self.checked_on})"
