"""Email is sent by a worker, after the change that caused it commits."""

from celery import shared_task

from ctpat import outbox

from .email import send_rendered


@shared_task(
    name="notifications.send_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
@outbox.claimed
def send_email(*, to: list[str], subject: str, text: str, html: str) -> None:
    """Send one rendered email; a mail server that is down is retried with backoff."""
    send_rendered(to=to, subject=subject, text=text, html=html)
