"""Load the standard document requests (validations/catalogue.py).

This migration first loaded a sample of the criteria too. The criteria are now loaded by
0007_complete_criteria_catalogue: the loader reads data/criteria.csv as it is today, whose
rows name a source that the tables of this migration's time do not have.
"""

from django.db import migrations


def load(apps, schema_editor):
    from validations import catalogue

    catalogue.load_document_templates(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("validations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
