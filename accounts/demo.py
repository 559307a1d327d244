"""Demo people for `make run`: one account per role, in two field offices.

CBP staff must sign in with a second factor, so each demo staff account gets a confirmed
authenticator app; `manage.py demo_code <email>` prints its current code (DEBUG only).
"""

from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import CBP_STAFF, Role
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
        if role in CBP_STAFF:
            user = User.objects.get(email=email)
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name="Demo app", confirmed=True)
        accounts.append((email, Role(role).label + (f", {offices[office]}" if office else "")))
    width = max(len(email) for email, _ in accounts)
    lines = [f"Sign in with (password for every demo account: {DEMO_PASSWORD}):"]
    lines += [f"  {email.ljust(width)}  {what}" for email, what in accounts]
    lines.append(
        "CBP staff then enter a second-factor code: `python manage.py demo_code <email>` "
        "prints the current one."
    )
    return lines
