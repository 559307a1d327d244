"""Sign-in security (issue 14): addresses in one spelling, and what sessions need.

Existing addresses are rewritten to the spelling `accounts.models.normalize_email` gives
(NFKC, then case-folded), because sign-in now looks an account up by exact match on that
spelling. Two accounts whose addresses fold to the same spelling would become one login:
the migration then refuses to run and lists them, rather than merging, renaming or
deleting either. Merging would join two people's memberships and audit history, and
renaming or deleting would take an account from whoever holds it; which of the two is the
person's real account is a question for an administrator, who changes or disables the
other one (in the admin, or the shell) and runs the migration again.

The function is written out here, not imported, so this migration gives the same rows
forever. Reversing leaves addresses as they are: the old spellings are not kept.
"""

import unicodedata
from collections import defaultdict

from django.db import migrations, models


def _normalize(email):
    return unicodedata.normalize("NFKC", email.strip()).casefold().strip()


def normalize_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    by_spelling = defaultdict(list)
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        by_spelling[_normalize(email)].append((pk, email))
    collisions = {key: rows for key, rows in by_spelling.items() if len(rows) > 1}
    if collisions:
        lines = [
            f"  {key}: " + ", ".join(f"#{pk} {email!r}" for pk, email in rows)
            for key, rows in sorted(collisions.items())
        ]
        raise RuntimeError(
            "These accounts' addresses are one address once normalized, so they would be one "
            "login. Decide which account is the person's, change the other's address (or "
            "disable it and give it another address), then migrate again:\n" + "\n".join(lines)
        )
    for key, rows in by_spelling.items():
        pk, email = rows[0]
        if email != key:
            User.objects.filter(pk=pk).update(email=key)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_audit_event_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="reenabled_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="session_generation",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="unused_notice_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(normalize_addresses, migrations.RunPython.noop),
    ]
