"""Signals ctpat sends for the apps above it to act on (ctpat imports no app)."""

from django.dispatch import Signal

# A kept file's scan found a virus: sent in the transaction that quarantines it, with
# `document` (the StoredDocument, now quarantined) and `signature` (what clamd found).
# The notifications app tells the administrators.
file_quarantined = Signal()

# A stored file was handed to someone (ctpat.uploads.file_response): sent with `owner`
# (the record the file belongs to, which the view asked whether the user may see it),
# `stored_name` and `download_name`. accounts records it in the audit log.
file_served = Signal()
