"""docker-compose.yml cannot run here (no Docker engine); this checks what it says."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_has_the_services_the_readme_describes():
    services = compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    readme = (ROOT / "README.md").read_text()
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert f"`{name}`" in readme, f"README does not describe {name}"


def test_web_serves_with_gunicorn_and_workers_run_celery_against_redis():
    services = compose()["services"]
    assert services["web"]["command"][0] == "gunicorn"
    assert "ctpat.wsgi" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "ctpat", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "ctpat", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:" in env["DATABASE_URL"]
        assert services[name]["env_file"] == ".env"


def test_every_long_running_service_has_a_health_check():
    services = compose()["services"]
    for name in ("web", "worker", "postgres", "redis"):
        assert "test" in services[name]["healthcheck"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_database_and_media_live_on_volumes():
    data = compose()
    assert {"pgdata", "media"} <= set(data["volumes"])
    assert any(v.startswith("pgdata:") for v in data["services"]["postgres"]["volumes"])
    assert any(v.startswith("media:") for v in data["services"]["web"]["volumes"])


def test_the_app_waits_for_its_database_and_migrations():
    services = compose()["services"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_the_image_it_builds_exists():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
