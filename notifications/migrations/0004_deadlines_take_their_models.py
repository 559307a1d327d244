"""Sent notices, consequences and extension requests now belong to the deadlines app, which
copied their rows (deadlines 0002); their old tables go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0002_move_rows_from_notifications"),
        ("notifications", "0003_consequences_extensions"),
    ]

    operations = [
        migrations.DeleteModel(name="Consequence"),
        migrations.DeleteModel(name="ExtensionRequest"),
        migrations.DeleteModel(name="SentNotice"),
    ]
