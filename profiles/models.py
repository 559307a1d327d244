from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.audit import partner_along
from ctpat.models import StoredDocument, StoredDocumentQuerySet
from partners.models import PartnerScopedQuerySet

from .choices import AGREEMENT_VERSIONS, AnswerReview, Implemented, ProfileKind, ProfileStatus


class SecurityProfile(models.Model):
    """One version of a partner's Security Profile: its criterion-by-criterion account of how
    it meets the Minimum Security Criteria, with evidence.

    Versions are numbered per partner and move along choices.TRANSITIONS. A version once
    submitted is never edited by the partner: a returned version is answered, and an accepted
    one updated or confirmed at the annual review, in a new version copied from it
    (`based_on`). The company officer signs each submission; CBP reviews each answer.

    The annual review (partners.ProfileReview, the cycle's record with its due date) is
    answered by a version of kind ANNUAL_REVIEW: submitting it records the cycle's
    ProfileReview (partners.services.profile_review_submit), linked here as `annual_review`.
    """

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="security_profiles"
    )
    version = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ProfileKind.choices, default=ProfileKind.FIRST)
    status = models.CharField(
        max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    criteria_date = models.DateField(help_text=_("The criteria answered are those in force then."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The company officer's signature.
    signed_name = models.CharField(_("name"), max_length=150, blank=True)
    signed_title = models.CharField(_("title"), max_length=150, blank=True)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    agreement_version = models.CharField(
        _("partner agreement"), max_length=20, choices=AGREEMENT_VERSIONS, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # More than half blank when submitted: to be completed by `blank_fix_due_on`
    # (profiles.deadlines); `blank_fixed_at` when a later version was submitted complete.
    blank_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    blank_fix_due_on = models.DateField(null=True, blank=True)
    blank_fixed_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    annual_review = models.OneToOneField(
        "partners.ProfileReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="security_profile",
    )

    objects = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "version"], name="one_profile_per_version")
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="profile_queue_idx")]

    def __str__(self):
        return f"Security Profile v{self.version} of {self.partner}"

    def get_absolute_url(self) -> str:
        return reverse("profiles:version", args=[self.pk])

    def audit_partner_id(self) -> int | None:
        return self.partner_id


class ProfileDocumentQuerySet(PartnerScopedQuerySet, StoredDocumentQuerySet):  # type: ignore[override]
    pass


class ProfileDocument(StoredDocument):
    """Evidence the partner keeps on file for its profile (ctpat.uploads checked and stored
    it); answers of any version may point to it, so a document is uploaded once."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="profile_documents"
    )

    objects = ProfileDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def get_download_url(self) -> str:
        return reverse("profiles:document", args=[self.pk])

    def audit_partner_id(self) -> int | None:
        return self.partner_id


class ProfileAnswerQuerySet(PartnerScopedQuerySet):
    partner_path = "profile__partner"


class ProfileAnswer(models.Model):
    """How the partner meets one applicable criterion, in one version of its profile, and
    CBP's review of it. An answer copied into a new version keeps its review until the
    partner changes it."""

    profile = models.ForeignKey(SecurityProfile, on_delete=models.CASCADE, related_name="answers")
    criterion_version = models.ForeignKey(
        "validations.CriterionVersion", on_delete=models.PROTECT, related_name="+"
    )
    narrative = models.TextField(_("how it is met"), blank=True)
    implemented = models.CharField(max_length=20, choices=Implemented.choices, blank=True)
    not_applicable_reason = models.TextField(blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    last_reviewed_on = models.DateField(_("date last reviewed"), null=True, blank=True)
    answer_later = models.BooleanField(default=False)
    confirmed = models.BooleanField(
        default=False, help_text=_("Annual review: confirmed unchanged, or updated.")
    )
    evidence = models.ManyToManyField(ProfileDocument, blank=True, related_name="answers")
    review = models.CharField(max_length=20, choices=AnswerReview.choices, blank=True)
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileAnswerQuerySet.as_manager()

    class Meta:
        ordering = [
            "criterion_version__criterion__category__number",
            "criterion_version__criterion__number",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "criterion_version"], name="one_answer_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion_version.criterion} in {self.profile}"

    @property
    def is_blank(self) -> bool:
        return not self.implemented

    def audit_partner_id(self) -> int | None:
        return partner_along(self, "profile__partner")
