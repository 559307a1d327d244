import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_eager_when_no_broker_is_configured(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


def test_healthz_answers_503_naming_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}


@pytest.mark.redis
def test_healthz_reaches_the_real_redis_broker(client, redis_broker_url):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_needs_no_sign_in_and_is_never_cached(client):
    response = client.get(reverse("healthz"))
    assert "no-cache" in response.headers["Cache-Control"]
    assert response.headers["Content-Type"] == "application/json"
