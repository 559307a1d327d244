"""Every CSV import names the file and the limit when the file is too large: one dropped
while it was received (over UPLOAD_MAX_BYTES), and one kept but over the import's own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every CSV import page; the criteria import is also the one the admin's criteria list
# links to ("Import versions").
IMPORTS = [
    ("partners:import", "specialist"),
    ("validations:criteria_import", "administrator"),
    ("benefits:observation_import", "specialist"),
    ("benefits:baseline_import", "specialist"),
]


@pytest.mark.parametrize("url_name,role", IMPORTS)
def test_a_csv_over_the_upload_limit_is_named_with_the_limit(client, settings, url_name, role):
    settings.UPLOAD_MAX_BYTES = 1_000_000
    client.force_login(UserFactory(**{role: True}))
    big = SimpleUploadedFile("figures.csv", b"a,b\n" + b"1,2\n" * 300_000, "text/csv")
    html = client.post(reverse(url_name), {"file": big}).content.decode()
    assert "figures.csv is larger than the 1 MB limit." in html
    assert "This field is required." not in html


@pytest.mark.parametrize("url_name,role", IMPORTS)
def test_a_csv_over_the_import_limit_is_named_with_the_limit(client, url_name, role):
    client.force_login(UserFactory(**{role: True}))
    big = SimpleUploadedFile("figures.csv", b"a,b\n" + b"1,2\n" * 300_000, "text/csv")
    html = client.post(reverse(url_name), {"file": big}).content.decode()
    assert "figures.csv is larger than the 1 MB limit; split it." in html
