"""The virus scan of every kept file, by ClamAV's daemon, before anyone else may download it.

An upload service writes the file's row (StoredDocument: "being scanned") and calls
`request_scan`, which queues the task `ctpat.scan_document` through the outbox in the same
transaction. The task (`scan_document`) streams the stored file to clamd with INSTREAM
and records the verdict by a compare-and-swap from "being scanned", so a scan sent twice
records once: clean, or quarantined (and `ctpat.signals.file_quarantined` is sent, in the
same transaction, for the administrators to be told), or, with no scanner configured
(CLAMD_SOCKET and CLAMD_TCP empty, as in `make run`), "not scanned", which every list
shows. A clamd that is down or fails leaves the file being scanned; beat queues the scan
again once it is SCAN_RETRY_SECONDS old (`requeue_stalled`).

The client is written here: clamd's protocol is a dozen lines (a command, then chunks each
prefixed by its length, a zero length to end), and the `clamd` package on PyPI has had no
release since 2020.
"""

import logging
import socket
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import outbox
from .models import ScanStatus, StoredDocument
from .signals import file_quarantined

logger = logging.getLogger(__name__)

SCAN_TASK = "ctpat.scan_document"
CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd did not answer, or answered with an error: the scan is tried again later."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str = ""


def configured() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_TCP)


def _connect() -> socket.socket:
    timeout = settings.CLAMD_TIMEOUT
    try:
        if settings.CLAMD_SOCKET:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            try:
                sock.connect(settings.CLAMD_SOCKET)
            except BaseException:
                sock.close()
                raise
            return sock
        host, _, port = settings.CLAMD_TCP.rpartition(":")
        return socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout)
    except (OSError, ValueError) as error:
        raise ScannerUnavailable(f"cannot reach clamd: {error}") from error


def _reply(sock: socket.socket) -> str:
    """clamd's answer to a z-command: everything up to the NUL that ends it."""
    data = b""
    while not data.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def ping() -> bool:
    """Whether clamd answers PING with PONG."""
    try:
        with _connect() as sock:
            sock.sendall(b"zPING\0")
            return _reply(sock) == "PONG"
    except (OSError, ScannerUnavailable):
        return False


def scan_stream(chunks: Iterable[bytes]) -> Verdict:
    """Send the bytes to clamd with INSTREAM and read its verdict."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK):
                    part = chunk[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(part)) + part)
            sock.sendall(struct.pack("!L", 0))
            answer = _reply(sock)
    except OSError as error:  # a timeout, or clamd closed the stream (its size limit)
        raise ScannerUnavailable(f"clamd stopped answering: {error}") from error
    # "stream: OK", "stream: <signature> FOUND", or "<reason> ERROR".
    if answer.endswith(" FOUND"):
        signature = answer.removeprefix("stream:").removesuffix(" FOUND").strip()
        return Verdict(clean=False, signature=signature)
    if answer.endswith("OK"):
        return Verdict(clean=True)
    raise ScannerUnavailable(f"clamd answered {answer!r}")


def _chunks(stored_name: str) -> Iterator[bytes]:
    with default_storage.open(stored_name, "rb") as stored:
        yield from stored.chunks(CHUNK)


def request_scan(documents: Iterable[StoredDocument]) -> None:
    """Queue the scan of newly kept files, in the caller's transaction (ctpat.outbox)."""
    outbox.enqueue_many(
        SCAN_TASK, [{"model": document._meta.label, "pk": document.pk} for document in documents]
    )


def scan_document(*, model: str, pk: int) -> str:
    """Scan one kept file and record the verdict; returns the file's scan status.

    Idempotent: a file no longer being scanned is left as it is. `model` is the file
    model's label ("validations.DocumentUpload"), since ctpat imports no app."""
    files = apps.get_model(model)._default_manager
    document = files.filter(pk=pk).first()
    if document is None:
        return "missing"
    if document.scan_status != ScanStatus.SCANNING:
        return document.scan_status
    if not configured():
        _record(files, document, ScanStatus.NOT_SCANNED)
        return ScanStatus.NOT_SCANNED
    try:
        verdict = scan_stream(_chunks(document.stored_name))
    except ScannerUnavailable as error:
        # Kept "being scanned"; beat queues it again (requeue_stalled).
        logger.warning("Scan of %s %s postponed: %s", model, pk, error)
        return ScanStatus.SCANNING
    if verdict.clean:
        _record(files, document, ScanStatus.CLEAN)
        return ScanStatus.CLEAN
    with transaction.atomic():
        if _record(files, document, ScanStatus.QUARANTINED, verdict.signature):
            logger.warning(
                "Quarantined %s %s (%s): %s", model, pk, document.stored_name, verdict.signature
            )
            document.refresh_from_db()
            file_quarantined.send(
                sender=type(document), document=document, signature=verdict.signature
            )
    return ScanStatus.QUARANTINED


def _record(files, document: StoredDocument, status: str, signature: str = "") -> bool:
    """Move the file from "being scanned" to `status` (a compare-and-swap: one run wins)."""
    return bool(
        files.filter(pk=document.pk, scan_status=ScanStatus.SCANNING).update(
            scan_status=status, scanned_at=timezone.now(), scan_signature=signature[:200]
        )
    )


def requeue_stalled(now=None) -> int:
    """Queue again the scans of files still being scanned SCAN_RETRY_SECONDS after their scan
    was queued (clamd was down, or the message was lost). Each is claimed by moving its
    `scan_queued_at` (a compare-and-swap), so two beats queue it once. Returns how many."""
    now = timezone.now() if now is None else now
    stalled = Q(scan_status=ScanStatus.SCANNING) & (
        Q(scan_queued_at__lt=now - timedelta(seconds=settings.SCAN_RETRY_SECONDS))
        | Q(scan_queued_at__isnull=True)
    )
    queued = 0
    for model in apps.get_models():
        if not issubclass(model, StoredDocument):
            continue
        files = model._default_manager
        for pk in files.filter(stalled).values_list("pk", flat=True)[:1000]:
            with transaction.atomic():
                if files.filter(stalled, pk=pk).update(scan_queued_at=now):
                    outbox.enqueue(SCAN_TASK, model=model._meta.label, pk=pk)
                    queued += 1
    if queued:
        logger.warning("Queued %s stalled scans again", queued)
    return queued
