"""The main navigation: which sections each role sees.

A section's view guards itself (accounts.access.role_required); a test checks that
every entry here opens for the roles listed and is refused to the others, so the two
cannot drift apart.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import CBP_STAFF, SUPERVISORS, Role

EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAVIGATION = [
    NavItem("Home", "home", EVERYONE),
    NavItem("My company", "partners:mine", frozenset({Role.PARTNER})),
    NavItem("Dashboard", "dashboard:index", SUPERVISORS),
    NavItem("Partners", "partners:list", CBP_STAFF),
    NavItem("Validations", "validations:list", EVERYONE),
    NavItem("Forced labor", "forced_labor:index", EVERYONE),
    NavItem(_("Security Profiles"), "profiles:queue", CBP_STAFF),
    NavItem("Benefits", "benefits:list", EVERYONE),
    NavItem("Extensions", "deadlines:extensions", EVERYONE),
    NavItem(_("Audit log"), "accounts:audit", frozenset({Role.ADMINISTRATOR})),
    NavItem("Administration", "admin:index", frozenset({Role.ADMINISTRATOR})),
]


def navigation_for(user) -> list[NavItem]:
    role = getattr(user, "role", None)
    return [item for item in NAVIGATION if role in item.roles]
