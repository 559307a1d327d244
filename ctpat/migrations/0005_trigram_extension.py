"""pg_trgm, for the likely-duplicate check on a new partner's name (partners.duplicates).
Django's CreateExtension does nothing on a database other than PostgreSQL."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ctpat", "0004_outbox_message")]

    operations = [TrigramExtension()]
