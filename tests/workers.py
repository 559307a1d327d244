"""A real Celery worker in a subprocess, for the tests that need one (Redis broker)."""

import contextlib
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from ctpat.celery import app

ROOT = Path(__file__).resolve().parents[1]


def database_url(connection) -> str:
    """The database this test process writes to, as a URL the worker can use."""
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


@contextlib.contextmanager
def celery_worker(broker_url: str, log_path: Path, *, new_session: bool = False, **env):
    """Start `celery worker` (one pool process) on a queue of its own, send this process's
    tasks there for the duration, and stop the worker after. Yields (process, queue).

    With `new_session` the worker leads a process group of its own (its pid is the group's
    id), so a test can kill the whole worker, pool and all, with os.killpg."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    environment = os.environ | {"CELERY_BROKER_URL": broker_url, "DEBUG": "True"} | env
    log = log_path.open("w")
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
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=new_session,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield worker, queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()


def pool_processes(worker_pid: int) -> list[int]:
    """The worker's pool processes (its children), read from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == worker_pid:
            children.append(int(entry.name))
    return children
