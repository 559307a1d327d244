"""Partners' vocabulary: entity types, identifiers, programs, and the enrollment workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role


class EntityType(models.TextChoices):
    """CTPAT business entity types (DOMAIN.md). Trade Compliance is open to importers only."""

    US_IMPORTER = "us_importer", "Importer (U.S.)"
    CA_IMPORTER = "ca_importer", "Importer (non-resident Canadian)"
    EXPORTER = "exporter", "Exporter"
    CUSTOMS_BROKER = "customs_broker", "Customs broker"
    CONSOLIDATOR = "consolidator", "Consolidator (air freight, OTI, NVOCC)"
    MPTO = "mpto", "Marine port authority and terminal operator"
    AIR_CARRIER = "air_carrier", "Air carrier"
    SEA_CARRIER = "sea_carrier", "Sea carrier"
    RAIL_CARRIER = "rail_carrier", "Rail carrier"
    HIGHWAY_CARRIER = "highway_carrier", "Highway carrier"
    MX_LONG_HAUL_CARRIER = "mx_long_haul_carrier", "Long haul highway carrier in Mexico"
    THIRD_PARTY_LOGISTICS = "third_party_logistics", "Third party logistics provider (3PL)"
    FOREIGN_MANUFACTURER = "foreign_manufacturer", "Foreign manufacturer (Canada, Mexico)"


IMPORTERS = frozenset({EntityType.US_IMPORTER, EntityType.CA_IMPORTER})


class HighwayBorder(models.TextChoices):
    """A highway carrier's border; one that crosses both applies as U.S./Mexico."""

    US_MEXICO = "us_mexico", "U.S./Mexico"
    US_CANADA = "us_canada", "U.S./Canada"


class SiteKind(models.TextChoices):
    DOMESTIC = "domestic", "Domestic"
    FOREIGN = "foreign", "Foreign"


class IdentifierKind(models.TextChoices):
    IOR = "ior", "Importer of record (IOR) number"
    EIN = "ein", "Employer Identification Number (EIN)"
    DUNS = "duns", "DUNS number"
    SCAC = "scac", "Standard Carrier Alpha Code (SCAC)"
    DOT = "dot", "U.S. DOT number"
    FMC = "fmc", "FMC organization number"
    IATA = "iata", "IATA airline code"
    RFC = "rfc", "RFC (Mexican tax id)"
    MID = "mid", "Manufacturer ID (MID)"
    BOND = "bond", "Continuous bond number"


class MembershipRole(models.TextChoices):
    """A partner user's role inside one company (the CTPAT portal's roles)."""

    COMPANY_OFFICER = "company_officer", "Company officer"
    ADMIN = "admin", "Admin"
    USER = "user", "User"
    CONSULTANT = "consultant", "Consultant"


class Program(models.TextChoices):
    SECURITY = "security", "Security"
    TRADE_COMPLIANCE = "trade_compliance", "Trade Compliance"


class Status(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    UNDER_REVIEW = "under_review", "Under review"
    CERTIFIED = "certified", "Certified"
    VALIDATED = "validated", "Validated"
    ACCEPTED = "accepted", "Accepted"
    SUSPENDED = "suspended", "Suspended"
    REMOVED = "removed", "Removed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REJECTED = "rejected", "Rejected"


# Each status as it reads after "The Security enrollment is ..." (and after "was"): the
# labels name a value in a list or a badge ("Applicant"), which in a sentence does not
# read ("The enrollment is applicant.").
ENROLLMENT_STATE = {
    Status.APPLICANT: _("an application not yet under review"),
    Status.UNDER_REVIEW: _("under review"),
    Status.CERTIFIED: _("certified"),
    Status.VALIDATED: _("validated"),
    Status.ACCEPTED: _("accepted"),
    Status.SUSPENDED: _("suspended"),
    Status.REMOVED: _("removed from the program"),
    Status.WITHDRAWN: _("withdrawn"),
    Status.REJECTED: _("rejected"),
}

S = Status
# The whole workflow of each program: from each status, the statuses it may move to.
# Reinstatement returns a suspended enrollment to the status it held before.
TRANSITIONS = {
    Program.SECURITY: {
        S.APPLICANT: {S.UNDER_REVIEW, S.WITHDRAWN, S.REJECTED},
        S.UNDER_REVIEW: {S.CERTIFIED, S.WITHDRAWN, S.REJECTED},
        S.CERTIFIED: {S.VALIDATED, S.SUSPENDED, S.REMOVED, S.WITHDRAWN},
        S.VALIDATED: {S.VALIDATED, S.SUSPENDED, S.REMOVED, S.WITHDRAWN},
        S.SUSPENDED: {S.CERTIFIED, S.VALIDATED, S.REMOVED, S.WITHDRAWN},
        S.REMOVED: set(),
        S.WITHDRAWN: set(),
        # Only an upheld appeal reopens a rejected application (see STATUS_EXITS).
        S.REJECTED: {S.UNDER_REVIEW},
    },
    Program.TRADE_COMPLIANCE: {
        S.APPLICANT: {S.UNDER_REVIEW, S.WITHDRAWN, S.REJECTED},
        S.UNDER_REVIEW: {S.ACCEPTED, S.WITHDRAWN, S.REJECTED},
        S.ACCEPTED: {S.SUSPENDED, S.REMOVED, S.WITHDRAWN},
        S.SUSPENDED: {S.ACCEPTED, S.REMOVED, S.WITHDRAWN},
        S.REMOVED: set(),
        S.WITHDRAWN: set(),
        S.REJECTED: {S.UNDER_REVIEW},
    },
}
IN_GOOD_STANDING = frozenset({S.CERTIFIED, S.VALIDATED, S.ACCEPTED})
OPEN_APPLICATION = frozenset({S.APPLICANT, S.UNDER_REVIEW})
CLOSED = frozenset({S.REMOVED, S.WITHDRAWN, S.REJECTED})
del S


class Move(models.TextChoices):
    """The moves people make on an enrollment; each has one service in services.py."""

    START_REVIEW = "start_review", "Start review"
    CERTIFY = "certify", "Certify (Tier 1)"
    VALIDATE = "validate", "Record validation (Tier 2 or 3)"
    ACCEPT = "accept", "Accept into Trade Compliance"
    SUSPEND = "suspend", "Suspend"
    REINSTATE = "reinstate", "Reinstate"
    REMOVE = "remove", "Remove from the program"
    WITHDRAW = "withdraw", "Record withdrawal"
    REJECT = "reject", "Reject the application"
    APPLY = "apply", "Application received"
    REOPEN = "reopen", "Reopen the application (appeal upheld)"


# Where each move leads. Reinstatement has no fixed target: it returns a suspended
# enrollment to the status it held before the suspension.
MOVE_TARGETS = {
    Move.START_REVIEW: Status.UNDER_REVIEW,
    Move.CERTIFY: Status.CERTIFIED,
    Move.VALIDATE: Status.VALIDATED,
    Move.ACCEPT: Status.ACCEPTED,
    Move.SUSPEND: Status.SUSPENDED,
    Move.REMOVE: Status.REMOVED,
    Move.WITHDRAW: Status.WITHDRAWN,
    Move.REJECT: Status.REJECTED,
    Move.REOPEN: Status.UNDER_REVIEW,
}

# A suspended enrollment leaves suspension only by these moves (reinstatement returns it
# to its earlier status; certifying or validating it anew is not a way out).
SUSPENDED_EXITS = frozenset({Move.REINSTATE, Move.REMOVE, Move.WITHDRAW})
# Statuses left only by some moves: a rejected application is reopened only by an upheld
# appeal (Move.REOPEN, which no one makes from the partner page).
STATUS_EXITS = {Status.SUSPENDED: SUSPENDED_EXITS, Status.REJECTED: frozenset({Move.REOPEN})}


def allowed_targets(program: str, status: str, move: str) -> set[Status]:
    """The statuses `move` may lead to from `status`: the TRANSITIONS map, narrowed by
    STATUS_EXITS."""
    exits = STATUS_EXITS.get(Status(status))
    if exits is not None and move not in exits:
        return set()
    return set(TRANSITIONS[Program(program)][Status(status)])


class SuspensionCause(models.TextChoices):
    """Why an enrollment is suspended (DOMAIN.md: causes of suspension or removal)."""

    INCIDENT = "incident", _("Security incident or seizure")
    FAILED_VALIDATION = "failed_validation", _("Failed validation")
    FALSE_INFORMATION = "false_information", _("False or missing information")
    LACK_OF_COMMITMENT = "lack_of_commitment", _("Lack of commitment")
    OTHER = "other", _("Other")


class PlanStatus(models.TextChoices):
    """A corrective action plan's way: the officer drafts and submits it, a supervisor
    accepts it (reinstatement may follow) or returns it for another submission."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting CBP")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


# Each status as it reads after "The corrective action plan is ..." (and "was").
PLAN_STATE = {
    PlanStatus.DRAFT: _("still a draft"),
    PlanStatus.SUBMITTED: _("submitted and awaiting CBP's decision"),
    PlanStatus.ACCEPTED: _("accepted"),
    PlanStatus.RETURNED: _("returned for changes"),
}

PLAN_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED},
    PlanStatus.SUBMITTED: {PlanStatus.ACCEPTED, PlanStatus.RETURNED},
    PlanStatus.RETURNED: {PlanStatus.SUBMITTED},
    PlanStatus.ACCEPTED: set(),
}
PLAN_EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})


class AppealStatus(models.TextChoices):
    """An appeal of a suspension or a rejection: filed, then upheld or denied by CBP."""

    FILED = "filed", _("Filed, awaiting CBP's decision")
    UPHELD = "upheld", _("Upheld")
    DENIED = "denied", _("Denied")


# Each status as it reads after "The appeal is ..." (and "was").
APPEAL_STATE = {
    AppealStatus.FILED: _("filed and awaiting CBP's decision"),
    AppealStatus.UPHELD: _("upheld"),
    AppealStatus.DENIED: _("denied"),
}

APPEAL_TRANSITIONS = {
    AppealStatus.FILED: {AppealStatus.UPHELD, AppealStatus.DENIED},
    AppealStatus.UPHELD: set(),
    AppealStatus.DENIED: set(),
}
# What may be appealed: a suspension or a rejection of the current attempt.
APPEALABLE = frozenset({Status.SUSPENDED, Status.REJECTED})

_STAFF = frozenset({Role.SPECIALIST, Role.SUPERVISOR, Role.ADMINISTRATOR})
_SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
# Who may make each move. Supervisors decide suspensions, reinstatements, removals and
# Trade Compliance acceptance (DOMAIN.md); validation outcomes come from approved
# validations, which supervisors approve.
MOVE_ROLES = {
    Move.START_REVIEW: _STAFF,
    Move.CERTIFY: _STAFF,
    Move.REJECT: _STAFF,
    Move.WITHDRAW: _STAFF,
    Move.VALIDATE: _SUPERVISORS,
    Move.ACCEPT: _SUPERVISORS,
    Move.SUSPEND: _SUPERVISORS,
    Move.REINSTATE: _SUPERVISORS,
    Move.REMOVE: _SUPERVISORS,
}

# The Trade Compliance eligibility questionnaire: every answer must be "yes".
ELIGIBILITY_QUESTIONS = [
    ("mou", "The company will sign the Trade Compliance memorandum of understanding."),
    ("internal_controls", "The company keeps written internal controls for its import work."),
    ("records", "The company keeps import records for the period the law requires."),
    ("supply_chain", "The company has reviewed its supply chain for forced-labor risk."),
    ("contact", "A named employee is responsible for customs compliance."),
]
