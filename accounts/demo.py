"""Demo people for `make run`: one account per role, in two field offices."""

from .choices import Role
from .models import FieldOffice, User

DEMO_PASSWORD = "ctpat-demo-2026"  # noqa: S105 - printed on purpose, demo only

FIELD_OFFICES = [("Buffalo", "buffalo"), ("Long Beach", "long-beach")]

# (email, full name, role, field office code)
PEOPLE = [
    ("admin@cbp.example", "Avery Admin", Role.ADMINISTRATOR, None),
    ("supervisor@cbp.example", "Sam Supervisor", Role.SUPERVISOR, "buffalo"),
    ("specialist@cbp.example", "Casey Specialist", Role.SPECIALIST, "buffalo"),
    ("specialist.lb@cbp.example", "Lee Specialist", Role.SPECIALIST, "long-beach"),
    ("supervisor.lb@cbp.example", "Robin Supervisor", Role.SUPERVISOR, "long-beach"),
]


def load() -> list[str]:
    """Create what is missing and leave existing rows alone (a re-run changes nothing).

    Returns the lines `load_demo` prints: the accounts to sign in with.
    """
    offices = {}
    for name, code in FIELD_OFFICES:
        offices[code], _ = FieldOffice.objects.get_or_create(code=code, defaults={"name": name})
    accounts = []
    for email, full_name, role, office in PEOPLE:
        if not User.objects.filter(email=email).exists():
            User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=full_name,
                role=role,
                field_office=offices.get(office),
            )
        accounts.append((email, Role(role).label + (f", {offices[office]}" if office else "")))
    width = max(len(email) for email, _ in accounts)
    lines = [f"Sign in with (password for every demo account: {DEMO_PASSWORD}):"]
    lines += [f"  {email.ljust(width)}  {what}" for email, what in accounts]
    return lines
