"""Shared fixtures.

Tests that need a real service (PostgreSQL, Redis, Chromium) ask for it through a
fixture that skips with a reason naming what is missing. CI sets
REQUIRE_ALL_SERVICES=1, which turns every skip into a failure, so a green CI run
means every test ran against the real thing.
"""

import os
import socket
from importlib import import_module
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from ctpat.celery import app as celery_app

# Playwright's sync API keeps an event loop running in the test thread; the ORM
# calls the tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _require_all_services() -> bool:
    return os.environ.get("REQUIRE_ALL_SERVICES") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if _require_all_services() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"REQUIRE_ALL_SERVICES=1 and the test was skipped: {reason}"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_broker_url() -> str:
    """The Redis broker URL from CELERY_BROKER_URL, or a skip naming what is missing."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis"):
        pytest.skip("needs Redis: CELERY_BROKER_URL is not a redis:// URL")
    parsed = urlparse(url)
    if not _reachable(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        pytest.skip(f"needs Redis: nothing answers at {parsed.hostname}:{parsed.port or 6379}")
    return url


@pytest.fixture
def postgresql(django_db_blocker):
    """Skip unless the test database is PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL: DATABASE_URL points at {connection.vendor}")


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in-process unless a test starts a real worker (see test_celery_worker)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings, request):
    """Each test counts rate limits in an empty cache of its own, in memory: no count leaks
    from one test to the next, and a Redis CACHE_URL (or broker) is never written to."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and rendered files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


# The migrations that add program rules; a transactional test runs each seed again.
SEEDING_MIGRATIONS = [
    "ctpat.migrations.0002_seed_program_rules",
    "ctpat.migrations.0006_attempt_and_appeal_rules",
    "ctpat.migrations.0007_annual_submission_grace_rule",
    "ctpat.migrations.0008_blank_profile_rules",
]


@pytest.fixture(autouse=True)
def _program_rules(request):
    """Each test starts from the seeded program rules, already read into the cache.

    A test's rolled-back rows must not linger in the accessor's cache, and a transactional
    test finds the table emptied by the one before it, so the seed migration runs again.
    The rules are read before the test, as a running process has them read already, so the
    query counts a test asserts are those of a page, not of the first page after start-up."""
    from ctpat import program_rules

    program_rules.forget()
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = {"transactional_db", "live_server"} & names or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional or marker is not None or "db" in names:
        request.getfixturevalue("transactional_db" if transactional else "db")
        if transactional:
            from django.apps import apps

            for seeding in SEEDING_MIGRATIONS:
                import_module(seeding).seed(apps)
        program_rules.rule("reminder_offsets")  # reads every rule into the cache
    yield
    program_rules.forget()


@pytest.fixture
def catalogue(transactional_db):
    """The criteria catalogue, reloaded: a transactional test empties the database after it,
    taking the data migrations' rows with it."""
    from django.apps import apps

    from forced_labor import catalogue as requirements
    from validations import catalogue as data

    data.load(apps.get_model)
    requirements.load(apps.get_model)


CLAMD = Path("/usr/sbin/clamd")
CLAMAV_DATABASE = Path(__file__).resolve().parent.parent / "ops" / "clamav"


def clamd_config(folder: Path, database: Path = CLAMAV_DATABASE) -> Path:
    """A clamd configuration for tests and CI: in the foreground, on a socket in `folder`,
    with only the shipped signatures (`database`: the EICAR test file), no freshclam."""
    config = folder / "clamd.conf"
    config.write_text(
        f"Foreground yes\n"
        f"LocalSocket {folder / 'clamd.sock'}\n"
        f"DatabaseDirectory {database}\n"
        f"TemporaryDirectory {folder}\n"
        f"PidFile {folder / 'clamd.pid'}\n"
        f"LogFile {folder / 'clamd.log'}\n"
        # Larger than any upload (UPLOAD_MAX_MB), so a kept file is scanned whole.
        f"StreamMaxLength 64M\n"
        # Content beyond clamd's own limits is a hit, not a silent "OK".
        f"AlertExceedsMax yes\n"
    )
    return config


def _clamd_answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(path)
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """The UNIX socket of a clamd that knows the EICAR test signature: CLAMD_SOCKET if it
    answers (CI starts one), else a clamd of the session's own (Debian's clamav-daemon),
    else a skip naming what is missing."""
    import subprocess
    import time

    given = os.environ.get("CLAMD_SOCKET", "")
    if given and _clamd_answers(given):
        yield given
        return
    if not CLAMD.exists():
        pytest.skip(
            "needs ClamAV: CLAMD_SOCKET does not answer and /usr/sbin/clamd is missing "
            "(apt-get install clamav-daemon)"
        )
    folder = tmp_path_factory.mktemp("clamd")
    config = clamd_config(folder)
    process = subprocess.Popen(  # noqa: S603 - a fixed program and our own config
        [str(CLAMD), "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    path = str(folder / "clamd.sock")
    try:
        for _ in range(300):  # clamd loads one signature in well under a second
            if _clamd_answers(path) or process.poll() is not None:
                break
            time.sleep(0.1)
        if not _clamd_answers(path):
            log = folder / "clamd.log"
            pytest.skip(
                f"needs ClamAV: clamd did not answer on {path}: "
                f"{log.read_text()[-500:] if log.exists() else 'no log'}"
            )
        yield path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def scanner(settings, clamd_socket):
    """The settings point at the test clamd."""
    settings.CLAMD_SOCKET = clamd_socket
    settings.CLAMD_TCP = ""
    return clamd_socket


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(request, monkeypatch):
    """`client.force_login(user)` also passes the second factor, as it already skips the
    password and the lockout: the user gets a confirmed authenticator app (if they have
    none) and the session is marked verified the way django_otp.login marks it. Tests of
    the second factor itself ask for `real_second_factor`, or sign in through the forms."""
    if "real_second_factor" in request.fixturenames:
        return
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def real_second_factor():
    """Opt out of the above: force_login signs in without passing the second factor."""
