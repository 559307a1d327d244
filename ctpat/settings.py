"""Settings for the CTPAT partner-management site.

One module for every environment. Everything that differs between a laptop and
production is read from the environment (or from a `.env` file beside manage.py)
through django-environ; `.env.example` documents each variable.

Defaults are for local work, so `make run` and any `manage.py` command work on a fresh
clone with nothing set: DEBUG on, SQLite in the project folder, Celery tasks run eagerly,
email printed to the console. Production sets DEBUG=False (`check --deploy` fails while it
is on); then SECRET_KEY and ALLOWED_HOSTS have no defaults and start-up stops with a
message naming the missing variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# ENV_FILE lets a test (or an operator) point at another file, or at none.
_env_file = Path(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))
if _env_file.is_file():
    env.read_env(_env_file)


def _required_in_production(name: str, debug_default):
    """Return the variable, or `debug_default` when DEBUG is on; stop start-up otherwise."""
    if name in env.ENVIRON:
        return env.ENVIRON[name]
    if DEBUG:
        return debug_default
    raise ImproperlyConfigured(
        f"{name} is not set. It is required when DEBUG is off: "
        f"set it in the environment or in .env (see .env.example)."
    )


# --- Core -------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = _required_in_production(
    "SECRET_KEY", "django-insecure-local-development-key-never-use-in-production"
)
ALLOWED_HOSTS = [
    host.strip()
    for host in _required_in_production("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "ctpat.apps.AdminConfig",  # django.contrib.admin with ctpat.admin_site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_ratelimit",
    # The second factor (accounts.mfa): TOTP apps and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_countries",
    "simple_history",
    "django_include_bootstrap",
    "ctpat",
    "accounts",
    "partners",
    "validations",
    "forced_labor",
    "profiles",
    "benefits",
    "dashboard",
    "notifications",
    "deadlines",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above everything that queries the database (session, sign-in, views): a lost
    # connection reruns a GET once, and answers anything else with the 503 page.
    "ctpat.middleware.DatabaseFaultMiddleware",
    # Django's, but a session save lost with the connection is a 503, not a bare 400.
    "ctpat.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Keeps who is asking, from where, for the audit log's records (accounts.audit).
    "accounts.audit.AuditContextMiddleware",
    # Cache-Control: no-store on every page a signed-in person sees and on every download.
    "ctpat.middleware.NoStoreMiddleware",
    # A NUL in the query string is a 400 before any view reads it (PostgreSQL refuses it);
    # below the sign-in middleware, as the 400 page's layout reads request.user.
    "ctpat.middleware.NoNulQueryMiddleware",
    # Marks the person who passed the second step in this session (user.is_verified()),
    # then sends whoever must pass it and has not to set it up or enter a code.
    "django_otp.middleware.OTPMiddleware",
    "accounts.mfa.SecondFactorMiddleware",
    # Every view needs a signed-in user unless marked @login_not_required
    # (login, password reset and /healthz are).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a session SESSION_ABSOLUTE_HOURS after sign-in, however active (after messages,
    # which it uses to say why).
    "accounts.sessions.SessionLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ctpat.urls"
WSGI_APPLICATION = "ctpat.wsgi.application"
ASGI_APPLICATION = "ctpat.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread_count",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A kept connection is checked before a request reuses it, so one the database dropped
# between requests is replaced instead of failing the request (ctpat/middleware.py handles
# one dropped during a request).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in -----------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_SECONDS", default=60 * 60 * 24)

# Lock an account for 30 minutes after 5 failed sign-ins. Locking by username (not IP)
# is what protects an account behind a shared government proxy or NAT.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# django-axes warns when the IP address is not a lockout key. Here it deliberately is
# not: a partner company or a CBP office signs in from behind one address, and five
# typos by five colleagues must not lock everyone out. The account is what we protect.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # django-ratelimit's list of supported caches predates Django's own Redis backend, whose
    # incr() is Redis's atomic INCR: what the library needs.
    "django_ratelimit.W001",
]
# Behind a TLS-terminating load balancer that sets X-Forwarded-Proto and X-Forwarded-For
# (production's default). The web port must then be reachable from the proxy only.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=not DEBUG)
# How many proxies in front of the site add to X-Forwarded-For: one behind the TLS proxy,
# else none. The audit log, the lockout and the rate limits read the client's address the
# same way (ctpat.net.client_ip); 0 trusts REMOTE_ADDR alone.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
AXES_CLIENT_IP_CALLABLE = "ctpat.net.client_ip"
AXES_USERNAME_CALLABLE = "accounts.access.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# The second factor (accounts.mfa). The issuer names the account in authenticator apps.
# Wrong codes wait 1, 2, 4, 8... seconds (factor x 2^(failures-1)) before the next check.
OTP_TOTP_ISSUER = "CTPAT Portal"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Device keys are never shown in the admin; a reset goes through the audited button.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Idle timeout: the session expires after this many minutes without a request,
# because every request saves the session and so pushes the expiry forward.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute limit: however active, a session ends this many hours after sign-in
# (accounts.middleware.SessionLimitMiddleware).
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)

# Per client address (ctpat.net.client_ip), POSTs beyond these rates are answered 429
# (accounts.limits): "<count>/<s|m|h|d>". Generous for sign-in, since a company or a CBP
# office signs in from behind one address; the account lockout protects each account.
RATELIMIT_SIGN_IN = env.str("RATELIMIT_SIGN_IN", default="30/m")
# Failed sign-ins to addresses that name no account, per client network, before that client
# may not sign in to any address until the lockout's minutes have passed (accounts.limits).
UNKNOWN_ADDRESS_FAILURE_LIMIT = env.int("UNKNOWN_ADDRESS_FAILURE_LIMIT", default=20)
RATELIMIT_PASSWORD_RESET = env.str("RATELIMIT_PASSWORD_RESET", default="10/h")
RATELIMIT_INVITATION = env.str("RATELIMIT_INVITATION", default="20/h")

# Accounts not used (signed in, or enabled again) for this many days are disabled by the
# nightly accounts.disable_unused, after a notice by email this many days before (NIST
# 800-53 AC-2(3)). Security settings, not program rules: CTPAT's law says nothing of them.
ACCOUNT_UNUSED_DAYS = env.int("ACCOUNT_UNUSED_DAYS", default=90)
ACCOUNT_UNUSED_NOTICE_DAYS = env.int("ACCOUNT_UNUSED_NOTICE_DAYS", default=14)

# --- HTTP security ----------------------------------------------------------------------

if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health checks come from inside the network over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: every script and stylesheet is a static file.
# img-src allows data: because Bootstrap's CSS draws form icons as data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Internationalisation: store UTC, show local time ----------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents live outside the static and web roots and are only ever served
# through views that check access, so there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploads are refused beyond this size while they are received (ctpat.uploads).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=20) * 1_000_000
# Bounds of a Word or Excel file (a ZIP package), read from its central directory before
# any part is: its parts, the size they inflate to, and that size over the file's (a
# zip bomb inflates hundreds of times; real Office files about 3 to 30).
UPLOAD_ZIP_MAX_ENTRIES = env.int("UPLOAD_ZIP_MAX_ENTRIES", default=2000)
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = (
    env.int("UPLOAD_ZIP_MAX_UNCOMPRESSED_MB", default=100) * 1_000_000
)
UPLOAD_ZIP_MAX_RATIO = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)
# The virus scanner (ctpat.scanning): clamd's UNIX socket, or its host:port; neither set,
# files are marked "not scanned". CLAMD_TIMEOUT bounds each conversation with it; a scan
# left "being scanned" longer than SCAN_RETRY_SECONDS (clamd was down) is queued again.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_TCP = env.str("CLAMD_TCP", default="")
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)
SCAN_RETRY_SECONDS = env.int("SCAN_RETRY_SECONDS", default=300)
FILE_UPLOAD_HANDLERS = [
    "ctpat.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# The site's public address, for links in emails sent by background tasks.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CTPAT Portal <no-reply@ctpat.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work (Celery) -----------------------------------------------------------

# Unset: no broker, every task runs in-process as it is queued ("eager"), which is
# what the embedded `make run` setup uses. Production sets a Redis URL.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A task is acknowledged only after it finishes, and put back if its worker dies,
# so a crash never loses work; tasks are written to be idempotent for that reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Redis re-delivers an unacknowledged task after the visibility timeout; it must be
# longer than the longest task, and than the longest retry countdown a worker holds
# (notifications.send_email backs off up to Celery's 600 s), or a task would run twice.
# Fifteen minutes, not Redis's hour: what a whole worker killed leaves behind comes back
# sooner. Report renders need not wait even that long: their leases (below) catch them.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
}
# A report render (ctpat.reports) is stopped after REPORT_RENDER_TIME_LIMIT seconds and
# holds its report for REPORT_LEASE_SECONDS, longer, so a live render never loses its
# lease; beat re-queues a render whose lease ran out (a killed worker) every
# REPORT_REQUEUE_SECONDS, and one still queued REPORT_QUEUED_SECONDS after it was asked for.
REPORT_RENDER_TIME_LIMIT = env.int("REPORT_RENDER_TIME_LIMIT", default=120)
REPORT_RENDER_SOFT_TIME_LIMIT = env.int("REPORT_RENDER_SOFT_TIME_LIMIT", default=100)
REPORT_LEASE_SECONDS = env.int("REPORT_LEASE_SECONDS", default=REPORT_RENDER_TIME_LIMIT + 60)
REPORT_QUEUED_SECONDS = env.int("REPORT_QUEUED_SECONDS", default=300)
REPORT_REQUEUE_SECONDS = env.int("REPORT_REQUEUE_SECONDS", default=60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
# The dashboard's figures are recomputed this often (dashboard/summary.py), so they are at
# most about a minute old; pages without a broker recompute when older than the maximum.
DASHBOARD_REFRESH_SECONDS = env.int("DASHBOARD_REFRESH_SECONDS", default=30)
DASHBOARD_MAX_AGE_SECONDS = env.int("DASHBOARD_MAX_AGE_SECONDS", default=60)
# How often beat sends ctpat.heartbeat, and the age past which /healthz calls the last
# worker or beat heartbeat (or the oldest undispatched outbox row) stale.
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", default=30)
HEALTH_STALE_SECONDS = env.int("HEALTH_STALE_SECONDS", default=120)
CELERY_BEAT_SCHEDULE: dict = {
    # The deadline sweep (deadlines/sweep.py); also `manage.py enforce_deadlines`.
    "enforce-deadlines": {"task": "deadlines.sweep", "schedule": timedelta(hours=1)},
    # Beat sending it and a worker running it are the two heartbeats /healthz reports.
    "heartbeat": {
        "task": "ctpat.heartbeat",
        "schedule": timedelta(seconds=HEARTBEAT_SECONDS),
        "options": {"expires": HEARTBEAT_SECONDS},
    },
    "refresh-dashboard": {
        "task": "dashboard.refresh",
        "schedule": timedelta(seconds=DASHBOARD_REFRESH_SECONDS),
        # A refresh that could not start in time is dropped: the next one is due anyway.
        "options": {"expires": DASHBOARD_REFRESH_SECONDS},
    },
    # Accounts unused for ACCOUNT_UNUSED_DAYS are disabled, after a notice (accounts.unused).
    "disable-unused-accounts": {"task": "accounts.disable_unused", "schedule": timedelta(days=1)},
    # Renders whose lease ran out, or never started, are queued again (ctpat.reports).
    "requeue-expired-leases": {
        "task": "ctpat.requeue_expired_leases",
        "schedule": timedelta(seconds=REPORT_REQUEUE_SECONDS),
        "options": {"expires": REPORT_REQUEUE_SECONDS},
    },
}
# The outbox (ctpat/outbox.py): a send after commit gives up after OUTBOX_BROKER_TIMEOUT
# seconds, so a request never waits on a broker that is away; beat sends again every row
# not started within OUTBOX_REDISPATCH_SECONDS, OUTBOX_REDISPATCH_BATCH at a time. A claim
# older than the hard time limit belongs to a run that died.
OUTBOX_BROKER_TIMEOUT = env.float("OUTBOX_BROKER_TIMEOUT", default=0.5)
OUTBOX_REDISPATCH_SECONDS = env.int("OUTBOX_REDISPATCH_SECONDS", default=60)
OUTBOX_REDISPATCH_BATCH = env.int("OUTBOX_REDISPATCH_BATCH", default=500)
OUTBOX_CLAIM_SECONDS = CELERY_TASK_TIME_LIMIT + 60
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
CELERY_BEAT_SCHEDULE["outbox-redispatch"] = {
    "task": "ctpat.outbox_redispatch",
    "schedule": timedelta(seconds=30),
    "options": {"expires": 30},
}
# Scans left "being scanned" (clamd was down, or the message was lost) are queued again.
CELERY_BEAT_SCHEDULE["requeue-stalled-scans"] = {
    "task": "ctpat.requeue_stalled_scans",
    "schedule": timedelta(seconds=60),
    "options": {"expires": 60},
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT."
    )

# --- Cache ------------------------------------------------------------------------------

# The per-IP rate limits (django-ratelimit) count in the cache, so it must be shared by
# every web process: Redis in production (docker-compose sets CACHE_URL). Unset, it is the
# broker's Redis when there is one, else this process's memory, which is enough for the
# single process of `make run`; with DEBUG off, django-ratelimit's check E003 then fails.
_broker_cache = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
CACHES = {"default": env.cache_url("CACHE_URL", default=_broker_cache or "locmemcache://")}
if DEBUG and CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # `make run` is one process: its memory is the shared cache. Production is not.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- Program rules ----------------------------------------------------------------------

# The program's day counts and dates (DOMAIN.md) are data, not settings: the ProgramRule
# table, dated, which administrators edit in the admin; code reads them through
# ctpat.program_rules.rule().

# The handling marking printed in every page header of validation reports.
REPORT_MARKING = env.str("REPORT_MARKING", default="CONTROLLED UNCLASSIFIED INFORMATION")

# --- Forms ------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging: one line per record on stderr, for the container's log collector ---------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Eager local runs would log every task; the broker's "no hostname" note is expected there.
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
    },
}
