"""Signals ctpat sends for the apps above it to act on (ctpat imports no app)."""

from django.dispatch import Signal

# A kept file's scan found a virus: sent in the transaction that quarantines it, with
# `document` (the StoredDocument, now quarantined) and `signature` (what clamd found).
# The notifications app tells the administrators.
file_quarantined = Signal()
