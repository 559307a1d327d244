"""Who may do what with the things accounts keeps (predicates in the shape of
ctpat.permissions)."""

from django.utils.translation import gettext as _

from ctpat.permissions import ALLOWED, Verdict, refuse

from .choices import Role


def can_view_audit_log(user) -> Verdict:
    """Administrators read, search and export the audit log; nobody else (AU-9: access
    to audit information is limited to those who manage the system)."""
    if getattr(user, "is_active", False) and getattr(user, "role", None) == Role.ADMINISTRATOR:
        return ALLOWED
    return refuse(_("Only administrators may read the audit log."))
