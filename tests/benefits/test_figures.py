"""Monthly figures: entered by CBP staff or imported from CSV, all rows or none."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benefits import csv_import, services
from benefits.choices import ImportKind
from benefits.models import Baseline, MetricImport, Observation, PeriodSummary
from benefits.selectors import add_months, month_of
from ctpat.errors import DomainError
from tests.benefits.conftest import figures
from tests.factories import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(csv_import.OBSERVATION_HEADER)
LAST_MONTH = add_months(month_of(date.today()), -1)


def csv_file(*lines, header=HEADER):
    return SimpleUploadedFile("figures.csv", "\n".join([header, *lines]).encode(), "text/csv")


def row(account, period=f"{LAST_MONTH:%Y-%m}", shipments="100", exams="3", holds="1"):
    return f"{account},{period},{shipments},{exams},{holds},12.5,0,0,0,,ACE extract"


def test_recorded_figures_carry_the_standing_of_the_month(validated_partner, specialist):
    observation = services.observation_record(
        actor=specialist, partner=validated_partner, data=figures(LAST_MONTH)
    )
    assert (observation.tier, observation.trade_compliance) == (2, False)
    summary = PeriodSummary.objects.get(period=LAST_MONTH)
    assert (summary.tier, summary.shipments, summary.examinations) == (2, 1000, 20)


def test_a_recorded_month_is_corrected_only_with_a_reason(validated_partner, specialist):
    services.observation_record(
        actor=specialist, partner=validated_partner, data=figures(LAST_MONTH)
    )
    with pytest.raises(DomainError, match="say why they are corrected"):
        services.observation_record(
            actor=specialist, partner=validated_partner, data=figures(LAST_MONTH, examinations=30)
        )
    services.observation_record(
        actor=specialist,
        partner=validated_partner,
        data=figures(LAST_MONTH, examinations=30),
        reason="ACE re-run",
    )
    observation = Observation.objects.get()
    assert observation.examinations == 30
    assert [h.history_change_reason for h in observation.history.order_by("history_date")] == [
        "Figures recorded",
        "ACE re-run",
    ]
    assert PeriodSummary.objects.get().examinations == 30


def test_partner_users_cannot_record_figures(validated_partner):
    officer = validated_partner.memberships.get().user
    with pytest.raises(DomainError):
        services.observation_record(
            actor=officer, partner=validated_partner, data=figures(LAST_MONTH)
        )


@pytest.mark.parametrize(
    "bad_row, message",
    [
        (row("{account}", shipments="-5"), "greater than or equal to 0"),
        (row("{account}", exams="101"), "more examinations than shipments"),
        (row("{account}", holds="101"), "more holds than shipments"),
        (row("CT99999999"), "no partner you can see"),
        (
            row("{account}", period=f"{add_months(month_of(date.today()), 1):%Y-%m}"),
            "in the future",
        ),
        (row("{account}", period="2025-13"), "period: Enter a valid date"),
    ],
    ids=["negative", "more-exams", "more-holds", "unknown-partner", "future", "bad-month"],
)
def test_a_bad_row_is_named_and_nothing_is_imported(
    validated_partner, specialist, bad_row, message
):
    good = row(validated_partner.account_number, period="2025-01")
    upload = csv_file(good, bad_row.format(account=validated_partner.account_number))
    preview = csv_import.parse_upload(upload, kind=ImportKind.OBSERVATIONS, user=specialist)
    assert not preview.ok and preview.payload == ""
    assert preview.rows[0].errors == []
    assert any(message in error for error in preview.rows[1].errors), preview.rows[1].errors
    assert Observation.objects.count() == 0


def test_a_partner_of_another_office_is_unknown_to_the_importer(specialist):
    elsewhere = PartnerFactory(legal_name="Elsewhere Secret Co.")
    preview = csv_import.parse_upload(
        csv_file(row(elsewhere.account_number)), kind=ImportKind.OBSERVATIONS, user=specialist
    )
    assert "no partner you can see" in preview.rows[0].errors[0]
    assert "Elsewhere" not in " ".join(preview.rows[0].errors)


def test_the_same_month_twice_in_a_file_is_refused(validated_partner, specialist):
    line = row(validated_partner.account_number)
    preview = csv_import.parse_upload(
        csv_file(line, line), kind=ImportKind.OBSERVATIONS, user=specialist
    )
    assert "also on line 2" in preview.rows[1].errors[0]


def test_a_clean_file_imports_every_row_once(validated_partner, specialist):
    account = validated_partner.account_number
    preview = csv_import.parse_upload(
        csv_file(row(account, period="2025-01"), row(account, period="2025-02")),
        kind=ImportKind.OBSERVATIONS,
        user=specialist,
    )
    assert preview.ok
    record = csv_import.import_figures(
        actor=specialist, kind=ImportKind.OBSERVATIONS, signed=preview.payload
    )
    assert record.rows == 2 and record.source == "ACE extract"
    assert Observation.objects.filter(imported_in=record).count() == 2
    assert PeriodSummary.objects.count() == 2
    with pytest.raises(DomainError, match="already imported"):
        csv_import.import_figures(
            actor=specialist, kind=ImportKind.OBSERVATIONS, signed=preview.payload
        )
    assert Observation.objects.count() == 2 and MetricImport.objects.count() == 1


def test_baselines_import_the_same_way(specialist):
    header = ",".join(csv_import.BASELINE_HEADER)
    upload = csv_file(
        ",2025-01,100000,9100,3000,30,40,0,900,74,ACE non-members",
        "us_importer,2025-01,50000,4000,1000,28,10,0,500,70,ACE non-members",
        header=header,
    )
    preview = csv_import.parse_upload(upload, kind=ImportKind.BASELINES, user=specialist)
    assert preview.ok, [r.errors for r in preview.rows]
    csv_import.import_figures(actor=specialist, kind=ImportKind.BASELINES, signed=preview.payload)
    assert Baseline.objects.count() == 2


def test_the_import_page_previews_then_imports(client, validated_partner, specialist):
    client.force_login(specialist)
    url = reverse("benefits:observation_import")
    response = client.post(
        url, {"file": csv_file(row(validated_partner.account_number, exams="500"))}
    )
    assert "Nothing was imported" in response.content.decode()
    response = client.post(url, {"file": csv_file(row(validated_partner.account_number))})
    payload = response.context["preview"].payload
    response = client.post(url, {"confirm": "1", "payload": payload}, follow=True)
    assert "Imported 1 rows" in response.content.decode()
    assert Observation.objects.count() == 1


def test_partner_users_cannot_open_the_import(client, validated_partner):
    client.force_login(MembershipFactory(partner=validated_partner).user)
    assert client.get(reverse("benefits:observation_import")).status_code == 403


def test_the_entry_form_records_a_month(client, validated_partner, specialist):
    client.force_login(specialist)
    url = reverse("benefits:observation_add", args=[validated_partner.pk])
    form = client.get(url).context["form"]
    data = {
        "submission": form["submission"].initial,
        "period": f"{LAST_MONTH:%Y-%m}",
        "shipments": "200",
        "examinations": "300",
        "holds": "0",
        "source": "ACE",
    }
    response = client.post(url, data)
    assert "There cannot be more examinations than shipments." in response.content.decode()
    response = client.post(url, data | {"examinations": "4"})
    assert response.status_code == 302
    assert Observation.objects.get().examinations == 4
    assert client.post(url, data | {"examinations": "4"}).status_code == 200  # token used once
    assert Observation.objects.count() == 1


def test_recorded_and_imported_figures_show_on_the_partner_timeline(
    client, validated_partner, specialist
):
    services.observation_record(
        actor=specialist, partner=validated_partner, data=figures(LAST_MONTH)
    )
    preview = csv_import.parse_upload(
        csv_file(
            row(validated_partner.account_number, period="2025-01"),
            row(validated_partner.account_number, period="2025-02"),
        ),
        kind=ImportKind.OBSERVATIONS,
        user=specialist,
    )
    csv_import.import_figures(
        actor=specialist, kind=ImportKind.OBSERVATIONS, signed=preview.payload
    )
    client.force_login(specialist)
    html = client.get(reverse("partners:timeline", args=[validated_partner.pk])).content.decode()
    assert f"Benefits: figures of {LAST_MONTH:%B %Y} recorded" in html
    assert html.count("Benefits: monthly figures imported (ACE extract)") == 1
