import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from ctpat.celery import app
from ctpat.tasks import ping

ROOT = Path(__file__).resolve().parents[2]


def test_task_defaults_are_the_reliable_ones():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_serializer == "json"


def test_tasks_are_autodiscovered():
    assert "ctpat.ping" in app.tasks


def test_without_a_worker_tasks_run_eagerly():
    assert ping.delay("hello").get(timeout=1) == "hello"


@pytest.mark.redis
def test_a_real_worker_takes_a_task_from_redis_and_answers(redis_broker_url, tmp_path):
    # A queue of our own, so a stale message or another run's worker cannot interfere.
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = os.environ | {"CELERY_BROKER_URL": redis_broker_url, "DEBUG": "True"}
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ctpat",
            "worker",
            "-Q",
            queue,
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--hostname={queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=(log := (tmp_path / "worker.log").open("w")),
        stderr=subprocess.STDOUT,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = ping.apply_async(args=["round-trip"], queue=queue)
        assert result.get(timeout=60) == "round-trip", (tmp_path / "worker.log").read_text()
        assert result.successful()
    finally:
        app.conf.task_always_eager = previous
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
