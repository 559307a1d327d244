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
