from django.db import models


class Role(models.TextChoices):
    """What a person does in the program; decides what they may see and do.

    One role per user, as a field rather than Django groups: the roles are mutually
    exclusive, and the scoping rules (partner users see their partners, CBP staff
    their field office, administrators everything) branch on it in every query.
    Django's own permissions are used only inside the admin site.
    """

    SPECIALIST = "specialist", "CBP specialist"
    SUPERVISOR = "supervisor", "CBP supervisor"
    PARTNER = "partner", "Partner user"
    ADMINISTRATOR = "administrator", "Administrator"


CBP_STAFF = frozenset({Role.SPECIALIST, Role.SUPERVISOR, Role.ADMINISTRATOR})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
# Staff who work inside one field office and must therefore belong to one.
FIELD_OFFICE_ROLES = frozenset({Role.SPECIALIST, Role.SUPERVISOR})


class AuditEventType(models.TextChoices):
    """What an audit record says happened (NIST 800-53 AU-2: the events worth recording)."""

    # Sign-in and the session
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    LOCKED_OUT = "locked_out", "Locked out"
    RATE_LIMITED = "rate_limited", "Refused: too many requests"
    SIGN_OUT = "sign_out", "Signed out"
    SESSION_EXPIRED = "session_expired", "Session ended by its time limit"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
    # Second factor and password
    MFA_ENROLLED = "mfa_enrolled", "Second factor set up"
    MFA_VERIFIED = "mfa_verified", "Second factor accepted"
    MFA_FAILED = "mfa_failed", "Second factor refused"
    MFA_RECOVERY_USED = "mfa_recovery_used", "Recovery code used"
    MFA_RESET = "mfa_reset", "Second factor reset"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset asked for"
    PASSWORD_RESET = "password_reset", "Password reset"
    # Accounts
    ACCOUNT_DISABLED = "account_disabled", "Account disabled"
    ACCOUNT_ENABLED = "account_enabled", "Account enabled again"
    ROLE_CHANGED = "role_changed", "Role changed"
    OFFICE_CHANGED = "office_changed", "Field office changed"
    # Records
    CREATED = "created", "Created"
    UPDATED = "updated", "Changed"
    DELETED = "deleted", "Deleted"
    # What left the system
    DOWNLOADED = "downloaded", "Document downloaded"
    EXPORTED = "exported", "Exported"
    REPORT_ISSUED = "report_issued", "Report issued"
