from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ctpat.models import RenderedReport
from partners.choices import EntityType, Program
from partners.models import PartnerScopedQuerySet

from .choices import (
    METRIC_UNITS,
    Condition,
    ImportKind,
    Metric,
    OfferingKind,
    ProposalMove,
    ProposalStatus,
    SponsorKind,
)


class Benefit(models.Model):
    """A benefit of the program: what grants it, what it gives, and what measures it.

    Whether a partner has it is derived from the partner's enrollments and forced-labor
    documentation (benefits.eligibility), never recorded by hand.
    """

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    program = models.CharField(max_length=20, choices=Program.choices)
    condition = models.CharField(max_length=40, choices=Condition.choices)
    description = models.TextField()
    metric = models.CharField(
        max_length=30, choices=Metric.choices, help_text="The figure that shows its effect."
    )
    is_active = models.BooleanField("in the catalogue", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "name"]

    def __str__(self):
        return self.name

    @property
    def unit(self) -> str:
        return METRIC_UNITS[Metric(self.metric)]


class MetricImport(models.Model):
    """One CSV file of observations or baselines, imported whole: its source and who did it."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    source = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.source} ({self.rows} rows)"


class Figures(models.Model):
    """What is counted for one month, of one partner (Observation) or of non-members
    (Baseline). `period` is the first day of the month."""

    period = models.DateField(help_text="The first day of the month observed.")
    shipments = models.PositiveIntegerField(help_text="Shipments or entries.")
    examinations = models.PositiveIntegerField()
    holds = models.PositiveIntegerField()
    hours_to_release = models.DecimalField(
        "average hours to release", max_digits=7, decimal_places=2, null=True, blank=True
    )
    wro_detentions = models.PositiveIntegerField("WRO detentions", default=0)
    wro_held_at_premises = models.PositiveIntegerField(
        "WRO detentions held at the importer's premises",
        default=0,
        help_text="Instead of redelivery (the forced-labor benefit).",
    )
    rulings = models.PositiveIntegerField("rulings issued", default=0)
    days_to_ruling = models.DecimalField(
        "average days to a ruling", max_digits=6, decimal_places=1, null=True, blank=True
    )
    source = models.CharField(
        max_length=200, help_text="Where the figures come from (system, extract, date)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    imported_in = models.ForeignKey(
        MetricImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


def _figure_checks(prefix: str) -> list:
    return [
        models.CheckConstraint(
            name=f"{prefix}_examinations_within_shipments",
            condition=Q(examinations__lte=F("shipments")),
            violation_error_message="There cannot be more examinations than shipments.",
        ),
        models.CheckConstraint(
            name=f"{prefix}_holds_within_shipments",
            condition=Q(holds__lte=F("shipments")),
            violation_error_message="There cannot be more holds than shipments.",
        ),
        models.CheckConstraint(
            name=f"{prefix}_premises_within_detentions",
            condition=Q(wro_held_at_premises__lte=F("wro_detentions")),
            violation_error_message="Detentions held at the premises are part of all detentions.",
        ),
    ]


class Observation(Figures):
    """One partner's figures for one month, entered by CBP staff or imported from CSV.

    `tier`, `trade_compliance` and `documentation_accepted` are the partner's standing at
    the end of that month, derived from its enrollments and documentation when the figures
    were recorded: they decide which benefits the month counts for.
    """

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="benefit_observations"
    )
    tier = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Security tier in good standing then; empty if none."
    )
    trade_compliance = models.BooleanField(default=False)
    documentation_accepted = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=["recorded_at"])
    objects = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "period"],
                name="one_observation_per_partner_period",
                violation_error_message="This partner's figures for the month are recorded.",
            ),
            *_figure_checks("observation"),
        ]
        indexes = [models.Index(fields=["period"], name="observation_period_idx")]

    def __str__(self):
        return f"{self.partner} · {self.period:%B %Y}"


class Baseline(Figures):
    """Non-members' figures for one month: the comparison GAO and COAC asked for.

    An empty entity type covers all non-members; a baseline of one entity type is used
    when the comparison is narrowed to that type.
    """

    entity_type = models.CharField(
        max_length=30, choices=EntityType.choices, blank=True, help_text="Empty: all types."
    )
    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["-period", "entity_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "entity_type"],
                name="one_baseline_per_period_and_type",
                violation_error_message="The baseline of this month is recorded.",
            ),
            *_figure_checks("baseline"),
        ]

    def __str__(self):
        kind = self.get_entity_type_display() if self.entity_type else "all non-members"
        return f"Baseline {self.period:%B %Y} ({kind})"


class PeriodSummary(models.Model):
    """Observations added up per month and standing: what effectiveness reads.

    Rebuilt for a month whenever its observations change (services.summary_refresh), so
    a comparison over 100,000 partners reads a few thousand rows instead of millions.
    Weighted sums let averages be combined exactly (hours x shipments / shipments).
    """

    period = models.DateField()
    entity_type = models.CharField(max_length=30, choices=EntityType.choices)
    tier = models.PositiveSmallIntegerField(help_text="0 when not in good standing.")
    trade_compliance = models.BooleanField()
    documentation_accepted = models.BooleanField()
    observations = models.PositiveIntegerField()
    shipments = models.BigIntegerField()
    examinations = models.BigIntegerField()
    holds = models.BigIntegerField()
    release_hours_weighted = models.FloatField()
    release_shipments = models.BigIntegerField()
    wro_detentions = models.BigIntegerField()
    wro_held_at_premises = models.BigIntegerField()
    rulings = models.BigIntegerField()
    ruling_days_weighted = models.FloatField()

    class Meta:
        constraints = [
            # Also the index effectiveness reads by; a second refresh of the same month
            # racing this one fails instead of counting the month twice.
            models.UniqueConstraint(
                fields=[
                    "period",
                    "entity_type",
                    "tier",
                    "trade_compliance",
                    "documentation_accepted",
                ],
                name="one_summary_row_per_group",
            )
        ]

    def __str__(self):
        return f"{self.period:%Y-%m} {self.entity_type} tier {self.tier}"


class Proposal(models.Model):
    """A new benefit proposed by industry (COAC) or CBP, followed to adoption or decline."""

    title = models.CharField(max_length=200)
    sponsor_kind = models.CharField("proposed by", max_length=20, choices=SponsorKind.choices)
    sponsor = models.CharField(
        max_length=200, help_text="Who sponsors it: a COAC working group, a CBP office."
    )
    program = models.CharField(max_length=20, choices=Program.choices)
    rationale = models.TextField()
    metric = models.CharField(
        max_length=30, choices=Metric.choices, help_text="The figure that would show its effect."
    )
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decline_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"], name="proposal_status_idx")]

    def __str__(self):
        return self.title


class ProposalEvent(models.Model):
    """One move of a proposal: who, when, from what to what, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    move = models.CharField(max_length=20, choices=ProposalMove.choices, blank=True)
    from_status = models.CharField(max_length=20, choices=ProposalStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProposalStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.proposal}: {self.from_status or '-'} -> {self.to_status}"


class ProposalComment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.proposal}"


class Agency(models.Model):
    """A partner government agency (PGA) that offers trusted traders benefits or pilots."""

    code = models.CharField(max_length=20, unique=True, help_text="FDA, CPSC, USDA ...")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "partner government agency"
        verbose_name_plural = "partner government agencies"

    def __str__(self):
        return self.code


class AgencyOffering(models.Model):
    """A benefit or pilot an agency offers CTPAT partners."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="offerings")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OfferingKind.choices)
    description = models.TextField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__code", "name"]

    def __str__(self):
        return f"{self.agency.code}: {self.name}"


class AgencyParticipation(models.Model):
    """A partner's participation in an agency's benefit or pilot, from a date."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="agency_participations"
    )
    offering = models.ForeignKey(
        AgencyOffering, on_delete=models.PROTECT, related_name="participations"
    )
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["recorded_at"])
    objects = PartnerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["offering__agency__code", "offering__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "offering"],
                name="one_participation_per_offering",
                violation_error_message="The partner already takes part in this.",
            )
        ]

    def __str__(self):
        return f"{self.partner} in {self.offering}"


class BenefitsReport(RenderedReport):
    """A version of the yearly benefits report (PDF): figures of one year, as published."""

    year = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()

    render_task = "benefits.render_report"

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="one_benefits_report_version")
        ]

    def __str__(self):
        return f"Benefits report {self.year} v{self.version}"

    def get_label(self) -> str:
        return f"Benefits report {self.year}, version {self.version}"

    def get_key(self) -> str:
        return f"{self.year}-v{self.version}"

    def get_download_url(self) -> str:
        return reverse("benefits:report_download", args=[self.pk])

    def get_retry_url(self) -> str:
        return reverse("benefits:report_retry", args=[self.pk])

    def get_other_downloads(self) -> list[tuple[str, str]]:
        return [("Download CSV", reverse("benefits:report_csv", args=[self.pk]))]
