import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def test_the_suite_runs_on_postgresql(postgresql):
    """In CI the whole suite must run on the database production uses."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 130000
