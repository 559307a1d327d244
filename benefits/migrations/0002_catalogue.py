"""Load the benefits catalogue (benefits/catalogue.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from benefits import catalogue

    catalogue.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
