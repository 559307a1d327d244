"""Load the six forced-labor documentation requirements (forced_labor/catalogue.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from forced_labor import catalogue

    catalogue.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("forced_labor", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
