# Virus scan of kept files (ctpat.scanning); written by hand from makemigrations' output
# so that rows kept before it are "not scanned" while new rows start "being scanned".

import django.utils.timezone
from django.db import migrations, models

CHOICES = [('scanning', 'Being scanned'), ('clean', 'Clean'), ('quarantined', 'Quarantined'), ('not_scanned', 'Not scanned')]


class Migration(migrations.Migration):

    dependencies = [
        ('forced_labor', '0003_submission_no_under_review'),
    ]

    operations = [
        # Files kept before scanning existed were never scanned: say so, and do not queue
        # them (scan_queued_at empty); new files start being scanned, queued now.
        migrations.AddField(
            model_name='submissionfile',
            name='scan_status',
            field=models.CharField(choices=CHOICES, default='not_scanned', max_length=20, verbose_name='scan'),
        ),
        migrations.AlterField(
            model_name='submissionfile',
            name='scan_status',
            field=models.CharField(choices=CHOICES, default='scanning', max_length=20, verbose_name='scan'),
        ),
        migrations.AddField(
            model_name='submissionfile',
            name='scan_queued_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='submissionfile',
            name='scan_queued_at',
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name='submissionfile',
            name='scanned_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='submissionfile',
            name='scan_signature',
            field=models.CharField(blank=True, help_text='What the scanner found, when quarantined.', max_length=200),
        ),
    ]
