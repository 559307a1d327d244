"""Start-up configuration, checked in fresh processes with a controlled environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "n7Qp2vXr9sLk4wHt8yBz3mCd6fGj1aUe5oIq0RtY7uWxZ2cVb9NmKl4JhGf8DsAp",
    "ALLOWED_HOSTS": "ctpat.example.gov",
    "CSRF_TRUSTED_ORIGINS": "https://ctpat.example.gov",
    # The rate limits count in a cache every web process shares (.env.example).
    "CACHE_URL": "redis://redis:6379/1",
    # Every upload is scanned before anyone else downloads it (ctpat.checks).
    "CLAMD_TCP": "clamav:3310",
}
SETTING_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "CLAMD_SOCKET",
    "CLAMD_TCP",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "TIME_ZONE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]


def run_django(code: str, **environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
    env |= {"ENV_FILE": "/nonexistent/.env", "DJANGO_SETTINGS_MODULE": "ctpat.settings"}
    env |= environment
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def check_deploy(environment: dict) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` with only `environment` set."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env | {"ENV_FILE": "/nonexistent/.env"} | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_debug_a_missing_secret_key_stops_start_up_naming_it():
    result = run_django("", DEBUG="False", ALLOWED_HOSTS="ctpat.example.gov")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_without_debug_missing_allowed_hosts_stops_start_up_naming_it():
    result = run_django("", DEBUG="False", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_debug_is_on_for_local_work_and_off_when_production_says_so():
    code = "from django.conf import settings; print(settings.DEBUG)"
    assert run_django(code).stdout.strip() == "True"
    assert run_django(code, **PRODUCTION).stdout.strip() == "False"


def test_check_deploy_fails_if_debug_is_left_on():
    result = check_deploy({k: v for k, v in PRODUCTION.items() if k != "DEBUG"})
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


def test_the_local_defaults_are_sqlite_eager_tasks_and_console_email():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    result = run_django(code, DEBUG="True")
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_a_broker_url_turns_eager_mode_off():
    code = "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)"
    result = run_django(code, DEBUG="True", CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert result.stdout.strip() == "False"


def test_times_are_stored_in_utc_and_shown_in_the_configured_zone():
    code = "from django.conf import settings as s; print(s.USE_TZ, s.TIME_ZONE)"
    result = run_django(code, DEBUG="True", TIME_ZONE="America/Los_Angeles")
    assert result.stdout.split() == ["True", "America/Los_Angeles"]


def test_check_deploy_is_clean_with_the_documented_production_values():
    result = check_deploy(PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_fails_if_the_rate_limits_have_no_shared_cache():
    result = check_deploy({k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"})
    assert result.returncode != 0
    assert "django_ratelimit.E003" in result.stderr + result.stdout


def test_check_deploy_fails_if_no_virus_scanner_is_configured():
    result = check_deploy({k: v for k, v in PRODUCTION.items() if k != "CLAMD_TCP"})
    assert result.returncode != 0
    assert "ctpat.W001" in result.stderr + result.stdout


def test_the_cache_is_the_cache_url_else_the_brokers_redis_else_local_memory():
    code = "from django.conf import settings as s; print(s.CACHES['default']['LOCATION'])"
    assert run_django(code, DEBUG="True").stdout.strip() == ""
    broker = run_django(code, DEBUG="True", CELERY_BROKER_URL="redis://127.0.0.1:6379/3")
    assert broker.stdout.strip() == "redis://127.0.0.1:6379/3"
    own = run_django(
        code,
        DEBUG="True",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
        CACHE_URL="redis://cache:6379/1",
    )
    assert own.stdout.strip() == "redis://cache:6379/1"


def test_env_example_documents_every_variable_the_settings_read():
    import re

    settings_source = (ROOT / "ctpat" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'_required_in_production\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the pattern found no variables"
    assert read <= documented, f"undocumented in .env.example: {sorted(read - documented)}"


def test_requirements_pin_exact_versions():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    packages = [line for line in lines if line.strip() and not line.startswith("#")]
    assert packages
    assert all("==" in line for line in packages), [p for p in packages if "==" not in p]
