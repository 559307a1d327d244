"""Benefits' vocabulary: what grants a benefit, what measures it, and the proposal workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role


class Condition(models.TextChoices):
    """What must hold for a partner to receive a benefit (derived, never typed in)."""

    SECURITY_TIER_1 = "security_tier_1", "Security Tier 1 or above"
    SECURITY_TIER_2 = "security_tier_2", "Security Tier 2 or above"
    SECURITY_TIER_3 = "security_tier_3", "Security Tier 3"
    TRADE_COMPLIANCE = "trade_compliance", "Trade Compliance accepted"
    FORCED_LABOR_DOCUMENTATION = (
        "forced_labor_documentation",
        "Trade Compliance accepted with forced-labor documentation accepted",
    )


class Metric(models.TextChoices):
    """What shows a benefit's effect, member against non-member (DOMAIN.md, GAO-17-84)."""

    EXAMINATION_RATE = "examination_rate", "Examination rate"
    HOLD_RATE = "hold_rate", "Hold rate"
    HOURS_TO_RELEASE = "hours_to_release", "Average hours to release"
    REDELIVERY_AVOIDED = "redelivery_avoided", "WRO detentions kept from redelivery"
    DAYS_TO_RULING = "days_to_ruling", "Average days to a ruling"


# Metrics where a member's figure below the baseline is the benefit; for the others
# (share of detentions held at the importer's premises) a higher figure is.
LOWER_IS_BETTER = frozenset(
    {Metric.EXAMINATION_RATE, Metric.HOLD_RATE, Metric.HOURS_TO_RELEASE, Metric.DAYS_TO_RULING}
)
# How each metric is shown: a percentage, or a plain number with its unit.
METRIC_UNITS = {
    Metric.EXAMINATION_RATE: "%",
    Metric.HOLD_RATE: "%",
    Metric.HOURS_TO_RELEASE: "hours",
    Metric.REDELIVERY_AVOIDED: "%",
    Metric.DAYS_TO_RULING: "days",
}


class SponsorKind(models.TextChoices):
    INDUSTRY = "industry", "Industry (COAC)"
    CBP = "cbp", "CBP"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    UNDER_REVIEW = "under_review", "Under review"
    PILOTING = "piloting", "Piloting"
    ADOPTED = "adopted", "Adopted"
    DECLINED = "declined", "Declined"


# Each status as it reads after "The proposal is ...": the labels name a stage in a list
# ("Proposed"), which in a sentence says nothing ("The proposal is proposed.").
PROPOSAL_STATE = {
    ProposalStatus.PROPOSED: _("awaiting review"),
    ProposalStatus.UNDER_REVIEW: _("under review"),
    ProposalStatus.PILOTING: _("being piloted"),
    ProposalStatus.ADOPTED: _("adopted"),
    ProposalStatus.DECLINED: _("declined"),
}

S = ProposalStatus
# The whole proposal workflow: from each status, the statuses it may move to.
TRANSITIONS = {
    S.PROPOSED: {S.UNDER_REVIEW, S.DECLINED},
    S.UNDER_REVIEW: {S.PILOTING, S.ADOPTED, S.DECLINED},
    S.PILOTING: {S.ADOPTED, S.DECLINED},
    S.ADOPTED: set(),
    S.DECLINED: set(),
}
OPEN_PROPOSALS = frozenset({S.PROPOSED, S.UNDER_REVIEW, S.PILOTING})
del S


class ProposalMove(models.TextChoices):
    """The decisions on a proposal; each is one call of services.proposal_move."""

    REVIEW = "review", "Start the review"
    PILOT = "pilot", "Start a pilot"
    ADOPT = "adopt", "Adopt"
    DECLINE = "decline", "Decline"


MOVE_TARGETS = {
    ProposalMove.REVIEW: ProposalStatus.UNDER_REVIEW,
    ProposalMove.PILOT: ProposalStatus.PILOTING,
    ProposalMove.ADOPT: ProposalStatus.ADOPTED,
    ProposalMove.DECLINE: ProposalStatus.DECLINED,
}
# Supervisors decide proposals; any CBP staff member may record and comment on them.
DECIDERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


class OfferingKind(models.TextChoices):
    BENEFIT = "benefit", "Benefit"
    PILOT = "pilot", "Pilot"


class ImportKind(models.TextChoices):
    OBSERVATIONS = "observations", "Partner observations"
    BASELINES = "baselines", "Non-member baselines"
