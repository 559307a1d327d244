import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_notification_per_person_and_one_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    a, b = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(recipients=[a, b, a], title="Report ready", url="/validations/1/") == 2
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 1 and sorted(mailoutbox[0].to) == sorted([a.email, b.email])
    assert "http://127.0.0.1:8000/validations/1/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_the_navigation_shows_the_unread_count_and_opening_marks_read(client):
    user = UserFactory()
    notify(recipients=[user], title="Hello", url="/", email=False)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">1<' in html
    notification = Notification.objects.get()
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.url == "/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()


def test_nobody_opens_someone_elses_notification(client):
    notify(recipients=[UserFactory()], title="Private", email=False)
    client.force_login(UserFactory())
    other = Notification.objects.get()
    assert client.post(reverse("notifications:open", args=[other.pk])).status_code == 404
    assert "Private" not in client.get(reverse("notifications:list")).content.decode()


def test_mark_all_read(client):
    user = UserFactory()
    notify(recipients=[user], title="One", email=False)
    notify(recipients=[user], title="Two", email=False)
    client.force_login(user)
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_query_count_does_not_grow(client, count, django_assert_max_num_queries):
    user = UserFactory()
    for n in range(count):
        notify(recipients=[user], title=f"Note {n}", email=False)
    client.force_login(user)
    # One more: the session's second-factor device (django-otp's OTPMiddleware).
    with django_assert_max_num_queries(10):
        assert client.get(reverse("notifications:list")).status_code == 200
