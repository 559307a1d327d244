from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ctpat import health
from ctpat.models import Heartbeat
from ctpat.tasks import heartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_eager_when_no_broker_is_configured(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "eager"


def test_healthz_answers_503_naming_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "unavailable"


@pytest.mark.redis
def test_healthz_reaches_the_real_redis_broker(client, redis_broker_url):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_needs_no_sign_in_and_is_never_cached(client):
    response = client.get(reverse("healthz"))
    assert "no-cache" in response.headers["Cache-Control"]
    assert response.headers["Content-Type"] == "application/json"


def test_healthz_calls_heartbeats_never_seen_stale_but_stays_200(client, settings):
    settings.CELERY_BROKER_URL = ""
    report = client.get(reverse("healthz")).json()
    assert report["worker"] == {"at": None, "age_seconds": None, "stale": True}
    assert report["beat"] == {"at": None, "age_seconds": None, "stale": True}
    assert report["outbox"] == {"oldest_undispatched_age_seconds": None, "stale": False}


def test_the_heartbeat_task_records_the_worker_and_healthz_reports_its_age(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.HEALTH_STALE_SECONDS = 120
    heartbeat.delay()  # eager: runs here, as a worker would
    Heartbeat.objects.create(name="beat", at=timezone.now() - timedelta(seconds=600))
    report = client.get(reverse("healthz")).json()
    assert report["worker"]["stale"] is False and report["worker"]["age_seconds"] < 5
    assert report["beat"]["stale"] is True and report["beat"]["age_seconds"] >= 600


def test_sending_the_heartbeat_records_beat(settings):
    from ctpat.tasks import _beat_sent_heartbeat

    _beat_sent_heartbeat(sender="ctpat.heartbeat")  # what after_task_publish calls in beat
    assert Heartbeat.objects.filter(name="beat").exists()


def test_beat_sends_the_heartbeat_every_30_seconds(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["task"] == "ctpat.heartbeat"
    assert entry["schedule"].total_seconds() == 30


def test_the_outbox_age_hook_reports_nothing_until_the_outbox_exists():
    assert health.oldest_undispatched_outbox_age() is None


def test_the_status_page_is_for_administrators_only(client, settings):
    settings.CELERY_BROKER_URL = ""
    client.force_login(UserFactory(supervisor=True))
    assert client.get(reverse("dashboard:status")).status_code == 403
    client.force_login(UserFactory(administrator=True))
    response = client.get(reverse("dashboard:status"))
    assert response.status_code == 200
    page = response.content.decode()
    # Without a broker there is no worker or beat to have seen: the page says so.
    assert 'data-testid="status-worker"' in page and "tasks run in the web process" in page
