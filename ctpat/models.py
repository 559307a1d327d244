"""No tables of its own: the abstract base every kept file's model shares."""

from django.conf import settings
from django.db import models


class StoredDocument(models.Model):
    """Fields every kept file has; ctpat.uploads checks and stores the file itself."""

    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    @property
    def content_type(self):
        from ctpat.uploads import KINDS

        return KINDS[self.kind][1]
