"""Signals ctpat sends for apps above it to hear, without importing them."""

from django.dispatch import Signal

# A stored file was handed to someone (ctpat.uploads.file_response): sent with `owner`
# (the record the file belongs to, which the view asked whether the user may see it),
# `stored_name` and `download_name`. accounts records it in the audit log.
file_served = Signal()
