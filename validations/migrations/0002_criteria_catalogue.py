"""Load the criteria catalogue and standard document requests (validations/catalogue.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from validations import catalogue

    catalogue.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("validations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
