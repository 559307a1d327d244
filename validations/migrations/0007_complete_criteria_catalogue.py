"""Load the complete criteria catalogue (validations/catalogue.py, data/criteria.csv).

On a database that already holds the sample catalogue this adds the missing criteria, sources
and versions, and brings each criterion's entity types in line with the file; versions that
exist are left as they are, so validations keep the texts and levels they were judged by.
"""

from django.db import migrations


def load(apps, schema_editor):
    from validations import catalogue

    catalogue.load(apps.get_model, sync_applicability=True)


class Migration(migrations.Migration):
    dependencies = [("validations", "0006_criterion_sources")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
