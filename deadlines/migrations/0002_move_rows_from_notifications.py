"""Sent notices, consequences and extension requests move from notifications to deadlines.

Rows keep their ids (so links in sent notifications and emails keep working once redirected)
and every field; a consequence gains the label its kind had when notifications owned the list.
The sequences are moved past the copied ids on PostgreSQL.
"""

from django.db import migrations

# The labels of the three kinds notifications knew (now declared by partners and forced_labor).
LABELS = {
    "suspend_trade_compliance": "Suspend Trade Compliance (forced-labor documentation overdue)",
    "flag_revalidation": "Revalidation overdue",
    "flag_suspension_response": "Suspension letter unanswered: decide removal or reinstatement",
}
MODELS = ["SentNotice", "Consequence", "ExtensionRequest"]


def forward(apps, schema_editor):
    for name in MODELS:
        old = apps.get_model("notifications", name)
        new = apps.get_model("deadlines", name)
        fields = [f.attname for f in new._meta.concrete_fields if f.attname != "label"]
        rows = []
        for values in old.objects.values(*fields).iterator(chunk_size=2000):
            if name == "Consequence":
                values["label"] = LABELS.get(values["kind"], values["kind"])
            rows.append(new(**values))
            if len(rows) == 2000:
                new.objects.bulk_create(rows)
                rows = []
        new.objects.bulk_create(rows)
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for name in MODELS:
                table = apps.get_model("deadlines", name)._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )


def backward(apps, schema_editor):
    for name in MODELS:
        old = apps.get_model("notifications", name)
        new = apps.get_model("deadlines", name)
        fields = [f.attname for f in old._meta.concrete_fields]
        old.objects.bulk_create(
            [old(**values) for values in new.objects.values(*fields).iterator()], batch_size=2000
        )


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("notifications", "0003_consequences_extensions"),
    ]

    operations = [migrations.RunPython(forward, backward)]
