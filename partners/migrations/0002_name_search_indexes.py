"""Trigram indexes for searching partner names anywhere in the text (PostgreSQL only).

Django's icontains is UPPER(column) LIKE UPPER('%text%'); these GIN indexes on the
same expression let PostgreSQL answer it without reading every row. SQLite, the
embedded local database, has no such index type and goes without.
"""

from django.db import migrations

INDEXES = {
    "partner_legal_name_trgm": "legal_name",
    "partner_dba_name_trgm": "dba_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON partners_partner "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
