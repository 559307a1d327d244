"""make bench: seed a large data set into PostgreSQL and time the pages that must stay fast.

Prints a table and writes the same figures to bench/results/<timestamp>.json (one entry
per figure: name, median_ms, p95_ms, queries). Server time is measured in-process with
Django's test client: the whole request (middleware, session, view, template), without
the network. This is a benchmark, not a test: it asserts nothing.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ctpat_bench,
created if missing), BENCH_PARTNERS (default 100000), BENCH_REPEAT (default 30).
"""

import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ctpat_bench"
)
PARTNERS = int(os.environ.get("BENCH_PARTNERS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django() -> None:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench measures on PostgreSQL: set BENCH_DATABASE_URL to a postgres:// URL")
    ensure_database(DATABASE_URL)
    os.environ.update(
        DATABASE_URL=DATABASE_URL, DEBUG="True", ENV_FILE="/nonexistent", LOG_LEVEL="WARNING"
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctpat.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Time the site as production runs it: no per-query debug bookkeeping.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def seed(count: int) -> dict:
    """Bulk-insert `count` partners with enrollments, sites and identifiers, once."""
    from django.db import connection

    from accounts.choices import Role
    from accounts.models import FieldOffice, User
    from partners.choices import EntityType, Program, Status
    from partners.deadlines import first_annual_due
    from partners.models import Enrollment, Partner, PartnerIdentifier, Site

    offices = [
        FieldOffice.objects.get_or_create(code=code, defaults={"name": name})[0]
        for name, code in [("Buffalo", "buffalo"), ("Long Beach", "long-beach")]
    ]
    specialists = []
    for office in offices:
        for n in range(10):
            email = f"bench.specialist{n}@{office.code}.example"
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email,
                "bench-password",
                full_name=f"Specialist {n} {office.name}",
                role=Role.SPECIALIST,
                field_office=office,
            )
            specialists.append(user)
    admin = User.objects.filter(email="bench.admin@example.gov").first() or (
        User.objects.create_superuser("bench.admin@example.gov", "bench-password")
    )
    existing = Partner.objects.count()
    if existing < count:
        started = time.perf_counter()
        types = list(EntityType)
        statuses = [
            Status.APPLICANT,
            Status.UNDER_REVIEW,
            Status.CERTIFIED,
            Status.VALIDATED,
            Status.VALIDATED,
            Status.VALIDATED,
            Status.SUSPENDED,
            Status.WITHDRAWN,
        ]
        words = [
            "Atlas",
            "Harbor",
            "Summit",
            "Pioneer",
            "Delta",
            "Crown",
            "Union",
            "Keystone",
            "Liberty",
            "Frontier",
            "Meridian",
            "Coastal",
            "Granite",
            "Northern",
            "Pacific",
        ]
        today = date.today()
        batch = 5000
        for start in range(existing, count, batch):
            stop = min(start + batch, count)
            partners = []
            for n in range(start, stop):
                entity_type = types[n % len(types)]
                status = statuses[n % len(statuses)]
                validated = status in (Status.VALIDATED, Status.SUSPENDED)
                partners.append(
                    Partner(
                        legal_name=f"{words[n % 15]} {words[(n // 15) % 15]} {n:06d} Inc.",
                        entity_type=entity_type,
                        highway_border="us_canada"
                        if entity_type == EntityType.HIGHWAY_CARRIER
                        else "",
                        account_number=f"CB{n:08d}",
                        street=f"{n % 900 + 1} Commerce Street",
                        city="Buffalo" if n % 2 == 0 else "Long Beach",
                        country="US",
                        field_office=offices[n % 2],
                        specialist=specialists[(n % 2) * 10 + (n // 2) % 10],
                        importing_since=today - timedelta(days=3000),
                        security_status=status,
                        security_tier=(2 + n % 2)
                        if validated
                        else (1 if status == Status.CERTIFIED else None),
                        trade_compliance_status=Status.ACCEPTED
                        if entity_type in ("us_importer", "ca_importer")
                        and status == Status.VALIDATED
                        else "",
                    )
                )
            Partner.objects.bulk_create(partners, batch_size=batch)
            created = list(
                Partner.objects.filter(
                    account_number__gte=f"CB{start:08d}", account_number__lt=f"CB{stop:08d}"
                )
                .order_by("account_number")
                .values_list("pk", "entity_type")
            )
            enrollments, sites, identifiers = [], [], []
            for (pk, entity_type), n in zip(created, range(start, stop), strict=True):
                status = statuses[n % len(statuses)]
                validated = status in (Status.VALIDATED, Status.SUSPENDED)
                enrollments.append(
                    Enrollment(
                        partner_id=pk,
                        program=Program.SECURITY,
                        status=status,
                        tier=(2 + n % 2)
                        if validated
                        else (1 if status == Status.CERTIFIED else None),
                        applied_on=today - timedelta(days=400 + n % 700),
                        certified_on=today - timedelta(days=300 + n % 300)
                        if status not in (Status.APPLICANT, Status.UNDER_REVIEW)
                        else None,
                        last_validated_on=today - timedelta(days=n % 1400) if validated else None,
                        suspended_on=today - timedelta(days=n % 60)
                        if status == Status.SUSPENDED
                        else None,
                    )
                )
                if entity_type in ("us_importer", "ca_importer") and status == Status.VALIDATED:
                    enrollments.append(
                        Enrollment(
                            partner_id=pk,
                            program=Program.TRADE_COMPLIANCE,
                            status=Status.ACCEPTED,
                            applied_on=today - timedelta(days=200),
                            accepted_on=today - timedelta(days=100 + n % 300),
                        )
                    )
                sites.append(
                    Site(
                        partner_id=pk,
                        name="Headquarters",
                        kind="domestic",
                        street="1 Dock Road",
                        city="Buffalo",
                        country="US",
                    )
                )
                identifiers.append(PartnerIdentifier(partner_id=pk, kind="duns", value=f"{n:09d}"))
            for enrollment in enrollments:  # bulk_create skips save(), which sets it
                enrollment.annual_due_on = first_annual_due(enrollment)
            Enrollment.objects.bulk_create(enrollments, batch_size=batch)
            Site.objects.bulk_create(sites, batch_size=batch)
            PartnerIdentifier.objects.bulk_create(identifiers, batch_size=batch)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"Seeded {count - existing} partners in {time.perf_counter() - started:.1f} s")
    return {"specialist": specialists[0], "admin": admin}


def seed_forced_labor(partners: int = 10_000) -> None:
    """10,000 Trade Compliance importers, each with 6 requirements in 2 versions (120,000
    submissions): the older version superseded, the newer accepted, or waiting for review
    for one partner in five."""
    from dateutil.relativedelta import relativedelta
    from django.db import connection

    from accounts.models import User
    from forced_labor.models import Submission
    from forced_labor.selectors import requirements_in_force
    from partners.models import Enrollment, Partner

    if Submission.objects.count() >= partners * 12:
        return
    started = time.perf_counter()
    importers = list(
        Partner.objects.filter(entity_type__in=["us_importer", "ca_importer"])
        .order_by("pk")
        .values_list("pk", flat=True)[:partners]
    )
    have_trade = set(
        Enrollment.objects.filter(partner_id__in=importers, program="trade_compliance").values_list(
            "partner_id", flat=True
        )
    )
    today = date.today()
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                partner_id=pk,
                program="trade_compliance",
                status="accepted",
                applied_on=today - timedelta(days=500),
                accepted_on=today - timedelta(days=400),
                annual_due_on=today - timedelta(days=400) + relativedelta(months=13),
            )
            for pk in importers
            if pk not in have_trade
        ],
        batch_size=5000,
    )
    Partner.objects.filter(pk__in=importers).update(trade_compliance_status="accepted")
    versions = requirements_in_force()
    submitter = User.objects.filter(role="specialist").first()  # any user; only the id matters
    rows = []
    for n, pk in enumerate(importers):
        for v in versions:
            for version in (1, 2):
                waiting = version == 2 and n % 5 == 0
                rows.append(
                    Submission(
                        partner_id=pk,
                        requirement_id=v.requirement_id,
                        requirement_version=v,
                        version=version,
                        title=f"{v.requirement.name} v{version}",
                        effective_on=today - timedelta(days=30 * (3 - version)),
                        status="superseded"
                        if version == 1
                        else ("submitted" if waiting else "accepted"),
                        submitted_by=submitter,
                    )
                )
        if len(rows) >= 12_000:
            Submission.objects.bulk_create(rows, batch_size=6000)
            rows = []
    Submission.objects.bulk_create(rows, batch_size=6000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Seeded {Submission.objects.count():,} forced-labor submissions in "
        f"{time.perf_counter() - started:.1f} s"
    )


def seed_benefits(months: int = 24) -> None:
    """24 monthly observations of every partner (2.4 million rows at 100,000 partners) and
    24 months of non-member baselines, made in the database with generate_series, once;
    then the per-month summary effectiveness reads."""
    from django.db import connection

    from accounts.models import User
    from benefits.models import Baseline, Observation
    from benefits.services import summary_refresh

    if Observation.objects.exists():
        return
    started = time.perf_counter()
    recorder = User.objects.get(email="bench.admin@example.gov").pk
    with connection.cursor() as cursor:
        # Examinations per 1,000 shipments by Security tier in good standing, with a
        # repeatable wobble; Trade Compliance importers get rulings and WRO detentions.
        cursor.execute(
            """
            INSERT INTO benefits_observation (
                partner_id, period, shipments, examinations, holds, hours_to_release,
                wro_detentions, wro_held_at_premises, rulings, days_to_ruling, source,
                recorded_by_id, recorded_at, tier, trade_compliance, documentation_accepted)
            SELECT p.id, f.period, f.shipments,
                   f.shipments * (f.rate + f.wobble) / 1000,
                   f.shipments * (f.rate / 3 + f.wobble / 2 + 3) / 1000,
                   (f.rate / 3 + 8 + f.wobble)::numeric,
                   CASE WHEN f.trade AND m %% 6 = 0 THEN 2 ELSE 0 END,
                   CASE WHEN f.trade AND m %% 6 = 0 THEN 2 ELSE 0 END,
                   CASE WHEN f.trade AND m %% 3 = 0 THEN 1 ELSE 0 END,
                   CASE WHEN f.trade AND m %% 3 = 0 THEN 18 + f.wobble END,
                   'Bench: generated', %s, now(), f.tier, f.trade, f.trade
            FROM partners_partner p
            CROSS JOIN generate_series(1, %s) AS m
            CROSS JOIN LATERAL (
                SELECT (date_trunc('month', current_date) - make_interval(months => m))::date
                           AS period,
                       200 + (p.id * 37 + m * 11) %% 800 AS shipments,
                       (p.id * 7 + m * 3) %% 10 - 5 AS wobble,
                       t.tier,
                       CASE t.tier WHEN 3 THEN 11 WHEN 2 THEN 18 WHEN 1 THEN 40 ELSE 85 END
                           AS rate,
                       p.trade_compliance_status = 'accepted' AS trade
                FROM (SELECT CASE WHEN p.security_status IN ('certified', 'validated')
                                  THEN p.security_tier END AS tier) AS t
            ) AS f
            """,
            [recorder, months],
        )
    periods = sorted(Observation.objects.values_list("period", flat=True).distinct())
    first = periods[0]
    Baseline.objects.bulk_create(
        Baseline(
            period=period,
            entity_type="",
            shipments=4_100_000 + n * 25_000,
            examinations=(4_100_000 + n * 25_000) * 91 // 1000,
            holds=127_000,
            hours_to_release=31,
            wro_detentions=40,
            rulings=900,
            days_to_ruling=74,
            source="Bench: generated",
            recorded_by_id=recorder,
        )
        for n, period in enumerate(periods)
    )
    summary_refresh(periods)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE benefits_observation")
        cursor.execute("VACUUM ANALYZE benefits_periodsummary")
    print(
        f"Seeded {Observation.objects.count():,} benefit observations from {first} and their "
        f"summary in {time.perf_counter() - started:.1f} s"
    )


def seed_validations() -> dict:
    """Validations of certified and validated Security partners, one finding per criterion
    version in force on each one's criteria date (about three million at 100,000 partners
    with the complete catalogue of 120 criteria; about a million with the earlier sample), and
    the required actions of the approved and closed ones, made in the database once.

    - 16 validated partners in 25 have their last validation, approved on the
      enrollment's last_validated_on with its tier: closed once every required action was
      accepted, or still approved (the last 60 days, and one in 13 older ones whose
      actions are still being answered, some overdue); those validated over 1,330 days
      ago (revalidation due within about four months) also have an open revalidation.
    - One certified partner in five has an open initial validation (one in 12 cancelled).
    - Open validations spread over planned, documents requested, in progress (half the
      findings recorded), report drafting and supervisor review (all recorded).
    - Results: about 84% meets, 5% required action, 6% recommendation, 2% best practice,
      3% not applicable. Actions are due 90 days after the report.
    Leads are the partners' specialists; each field office gets a bench supervisor, who
    approves its validations. Returns the supervisors by office code."""
    from django.db import connection, transaction

    from accounts.choices import Role
    from accounts.models import FieldOffice, User
    from validations.models import Finding, RequiredAction, Validation

    supervisors = {}
    for office in FieldOffice.objects.filter(code__in=["buffalo", "long-beach"]):
        email = f"bench.supervisor@{office.code}.example"
        supervisors[office.code] = User.objects.filter(email=email).first() or (
            User.objects.create_user(
                email,
                "bench-password",
                full_name=f"Supervisor {office.name}",
                role=Role.SUPERVISOR,
                field_office=office,
            )
        )
    if Validation.objects.exists():
        return supervisors
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # One row per validation; d = days, o = a repeatable offset from the partner id.
        cursor.execute(
            """
            WITH base AS (
                SELECT e.id AS enrollment_id, e.partner_id::int AS pid, e.status AS estatus, e.tier,
                       e.last_validated_on, p.specialist_id, s.id AS supervisor_id,
                       abs(hashint4(e.partner_id::int) % 1000) AS h
                FROM partners_enrollment e
                JOIN partners_partner p ON p.id = e.partner_id
                JOIN accounts_user s ON s.field_office_id = p.field_office_id
                                    AND s.email LIKE 'bench.supervisor@%'
                WHERE e.program = 'security' AND p.specialist_id IS NOT NULL
                  AND ((e.status = 'validated' AND e.partner_id % 25 < 16
                        AND e.last_validated_on IS NOT NULL)
                       OR (e.status = 'certified' AND e.partner_id % 5 = 0))
            ),
            done AS (  -- the last validation of a validated partner, on last_validated_on
                SELECT b.*, CASE WHEN h % 10 < 3 THEN 'initial' ELSE 'revalidation' END AS kind,
                       CASE WHEN b.last_validated_on > CURRENT_DATE - 60 OR h % 13 = 0
                            THEN 'approved' ELSE 'closed' END AS status,
                       b.last_validated_on - (15 + h % 45) - h % 4 AS planned_start,
                       b.last_validated_on - (15 + h % 45) AS planned_end,
                       b.tier AS outcome_tier, b.last_validated_on AS approved_on
                FROM base b WHERE b.estatus = 'validated'
            ),
            opened AS (  -- open revalidations (due within 70 days) and initial validations
                SELECT b.*, CASE WHEN b.estatus = 'validated' THEN 'revalidation'
                                 ELSE 'initial' END AS kind,
                       CASE WHEN b.estatus = 'certified' AND h % 12 = 0 THEN 'cancelled'
                            ELSE (ARRAY['planned', 'planned', 'planned', 'planned', 'planned',
                                        'documents_requested', 'documents_requested',
                                        'documents_requested', 'documents_requested',
                                        'in_progress', 'in_progress', 'in_progress',
                                        'in_progress', 'in_progress', 'report_drafting',
                                        'report_drafting', 'report_drafting',
                                        'supervisor_review', 'supervisor_review',
                                        'supervisor_review'])[(h / 12) % 20 + 1]
                       END AS status
                FROM base b
                WHERE b.estatus = 'certified' OR b.last_validated_on < CURRENT_DATE - 1330
            ),
            opened_dates AS (
                SELECT o.*, CASE o.status
                           WHEN 'planned' THEN CURRENT_DATE + 20 + 2 * (h % 30)
                           WHEN 'documents_requested' THEN CURRENT_DATE + 5 + h % 30
                           WHEN 'in_progress' THEN CURRENT_DATE - (h % 30) / 2
                           WHEN 'report_drafting' THEN CURRENT_DATE - 15 - h % 30
                           WHEN 'supervisor_review' THEN CURRENT_DATE - 30 - h % 30
                           ELSE CURRENT_DATE - 100 - h % 300 END AS planned_start
                FROM opened o
            ),
            rows AS (
                SELECT enrollment_id, h, kind, status, specialist_id, supervisor_id,
                       planned_start, planned_end, outcome_tier, approved_on,
                       (planned_start - 30 - h % 60) + interval '9 hours' AS created_at,
                       approved_on + interval '16 hours' AS status_changed_at
                FROM done
                UNION ALL
                SELECT enrollment_id, h, kind, status, specialist_id, supervisor_id,
                       planned_start, planned_start + h % 4, NULL, NULL,
                       LEAST(planned_start - 45, CURRENT_DATE - 3 - h % 20)
                           + interval '9 hours',
                       CASE status
                           WHEN 'documents_requested' THEN LEAST(planned_start - 45,
                               CURRENT_DATE - 3 - h % 20) + interval '2 days 11 hours'
                           WHEN 'in_progress' THEN planned_start + interval '8 hours'
                           WHEN 'report_drafting' THEN planned_start + h % 4
                               + interval '2 days 15 hours'
                           WHEN 'supervisor_review' THEN planned_start + h % 4
                               + interval '10 days 15 hours'
                           WHEN 'cancelled' THEN planned_start - interval '3 days'
                       END
                FROM opened_dates
            )
            INSERT INTO validations_validation (
                enrollment_id, kind, mode, status, lead_id, approving_supervisor_id,
                planned_start, planned_end, criteria_date, outcome_tier, failed, approved_on,
                created_at, status_changed_at)
            SELECT enrollment_id, kind, CASE WHEN h / 200 < 2 THEN 'virtual' ELSE 'on_site' END,
                   status, specialist_id, supervisor_id, planned_start, planned_end,
                   planned_start, outcome_tier, false, approved_on, created_at,
                   LEAST(COALESCE(status_changed_at, created_at), now() - interval '1 hour')
            FROM rows
            ORDER BY planned_start, enrollment_id
            """
        )
        # One finding per criterion that applies to the entity type, in the version in force
        # on the criteria date; results recorded once the validation is under way.
        cursor.execute(
            """
            WITH versions AS (
                SELECT id, criterion_id, effective_from,
                       lead(effective_from) OVER (PARTITION BY criterion_id
                                                  ORDER BY effective_from) AS until
                FROM validations_criterionversion
            ),
            pairs AS (
                SELECT v.id AS validation_id, cv.id AS version_id, c.code, v.lead_id, v.status,
                       v.planned_end, v.created_at,
                       CASE WHEN v.status IN ('report_drafting', 'supervisor_review',
                                              'approved', 'closed') THEN true
                            WHEN v.status = 'in_progress' THEN (v.id + cv.criterion_id) % 2 = 0
                            ELSE false END AS recorded,
                       random() AS r
                FROM validations_validation v
                JOIN partners_enrollment e ON e.id = v.enrollment_id
                JOIN partners_partner p ON p.id = e.partner_id
                JOIN validations_criterionapplicability a ON a.entity_type = p.entity_type
                JOIN versions cv ON cv.criterion_id = a.criterion_id
                                AND cv.effective_from <= v.criteria_date
                                AND (cv.until IS NULL OR v.criteria_date < cv.until)
                JOIN validations_criterion c ON c.id = a.criterion_id
            ),
            results AS (
                SELECT pairs.*, CASE WHEN NOT recorded THEN ''
                                     WHEN r < 0.05 THEN 'required_action'
                                     WHEN r < 0.11 THEN 'recommendation'
                                     WHEN r < 0.13 THEN 'best_practice'
                                     WHEN r < 0.16 THEN 'not_applicable'
                                     ELSE 'meets' END AS result
                FROM pairs
            )
            INSERT INTO validations_finding (
                validation_id, criterion_version_id, result, narrative, updated_by_id, updated_at)
            SELECT validation_id, version_id, result,
                   CASE result
                       WHEN 'required_action' THEN 'Criterion ' || code || ': the written '
                           'procedure is missing or out of date and staff could not describe '
                           'it. Write it, train the staff, and send both as evidence.'
                       WHEN 'recommendation' THEN 'Criterion ' || code || ' is met; reviewing '
                           'the procedure twice a year would keep it current.'
                       WHEN 'best_practice' THEN 'Criterion ' || code || ': the checks are '
                           'automated and audited monthly, beyond what the criterion asks.'
                       ELSE '' END,
                   CASE WHEN recorded THEN lead_id END,
                   CASE WHEN recorded THEN LEAST(planned_end + interval '1 day 14 hours',
                                                 now() - interval '2 hours')
                        ELSE created_at END
            FROM results
            ORDER BY validation_id, version_id
            """
        )
        # Actions of approved and closed validations, due 90 days after the report: all
        # accepted in closed ones; a mix in approved ones, more answered the older they are.
        cursor.execute(
            """
            WITH actions AS (
                SELECT f.id AS finding_id, v.approved_on, v.lead_id,
                       CASE WHEN v.status = 'closed' THEN 'accepted'
                            WHEN v.approved_on > CURRENT_DATE - 90 THEN
                                (ARRAY['open', 'open', 'open', 'open', 'open', 'open', 'open',
                                       'open', 'response_submitted', 'response_submitted',
                                       'response_submitted', 'response_submitted',
                                       'response_submitted', 'returned', 'returned',
                                       'accepted', 'accepted', 'accepted', 'accepted',
                                       'accepted'])[f.id % 20 + 1]
                            ELSE (ARRAY['open', 'open', 'open', 'open', 'open', 'returned',
                                        'returned', 'returned', 'response_submitted',
                                        'response_submitted', 'response_submitted',
                                        'response_submitted', 'accepted', 'accepted',
                                        'accepted', 'accepted', 'accepted', 'accepted',
                                        'accepted', 'accepted'])[f.id % 20 + 1]
                       END AS status,
                       LEAST(v.approved_on + (10 + f.id::int % 80) + interval '14 hours',
                             v.approved_on + (now() - v.approved_on) * (1 + f.id::int % 80) / 81)
                           AS responded_at
                FROM validations_finding f
                JOIN validations_validation v ON v.id = f.validation_id
                WHERE f.result = 'required_action' AND v.status IN ('approved', 'closed')
            )
            INSERT INTO validations_requiredaction (
                finding_id, due_on, status, response, responded_at, decided_at,
                decision_comment, decided_by_id, responded_by_id)
            SELECT finding_id, approved_on + 90, status,
                   CASE WHEN status = 'open' THEN '' ELSE 'The procedure is written and '
                       'the staff trained; the procedure and the training records are attached.'
                   END,
                   CASE WHEN status <> 'open' THEN responded_at END,
                   CASE WHEN status IN ('accepted', 'returned') THEN LEAST(
                       responded_at + (1 + finding_id::int % 20) * interval '1 day',
                       responded_at + (now() - responded_at) * (1 + finding_id::int % 20) / 21)
                   END,
                   CASE WHEN status = 'returned' THEN 'The training records do not show who '
                       'attended; send the signed attendance sheets.' ELSE '' END,
                   CASE WHEN status IN ('accepted', 'returned') THEN lead_id END,
                   NULL
            FROM actions
            ORDER BY finding_id
            """
        )
        # A closed validation closed when its last action was accepted (or soon after the
        # report when it had none).
        cursor.execute(
            """
            UPDATE validations_validation v
            SET status_changed_at = LEAST(
                COALESCE(a.closed_at + interval '2 hours',
                         v.approved_on + (1 + v.id::int % 14) + interval '15 hours'),
                now() - interval '1 hour')
            FROM validations_validation w
            LEFT JOIN (
                SELECT f.validation_id, max(ra.decided_at) AS closed_at
                FROM validations_requiredaction ra
                JOIN validations_finding f ON f.id = ra.finding_id
                GROUP BY f.validation_id
            ) a ON a.validation_id = w.id
            WHERE v.id = w.id AND v.status = 'closed'
            """
        )
    with connection.cursor() as cursor:
        for table in ("validation", "finding", "requiredaction"):
            cursor.execute(f"VACUUM ANALYZE validations_{table}")
    print(
        f"Seeded {Validation.objects.count():,} validations, {Finding.objects.count():,} "
        f"findings and {RequiredAction.objects.count():,} required actions in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return supervisors


def time_call(name: str, call, repeat: int = REPEAT) -> dict:
    """A function's median and p95 time and its query count (a selector, a service)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        call()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        call()
    timings.sort()
    return {
        "name": name,
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
        "queries": len(queries),
    }


def benefits_figures(people) -> list[dict]:
    from django.db import transaction
    from django.test import Client

    from benefits import selectors
    from benefits.services import summary_refresh
    from partners.models import Partner

    period_from, period_to = selectors.last_months(12)
    observed = selectors.Observation.objects.count()
    client = Client()
    client.force_login(people["admin"])
    sample = Partner.objects.order_by("pk")[Partner.objects.count() // 2]

    def refresh_one_month():
        with transaction.atomic():
            summary_refresh([period_to])

    return [
        time_call(
            f"benefits effectiveness, 12 months ({observed:,} observations)",
            lambda: selectors.effectiveness(period_from, period_to),
        ),
        time_call(
            "benefits effectiveness headline (exam rate, 12 months)",
            selectors.effectiveness_headline,
        ),
        measure(
            client, "benefits effectiveness page (admin, all partners)", "/benefits/effectiveness/"
        ),
        measure(
            client, "benefits page of one partner (24 months)", f"/benefits/partners/{sample.pk}/"
        ),
        time_call(
            "benefits summary refresh of one month (after an import)", refresh_one_month, repeat=5
        ),
    ]


def measure(client, name: str, url: str, repeat: int = REPEAT) -> dict:
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    return time_call(name, get, repeat) | {"url": url}


def seed_realistic_deadlines() -> None:
    """Dates shaped like a working program, so the sweep is measured on one:

    - most partners keep up with their yearly submissions: 19 in 20 get a next profile
      review or Annual Notification Letter spread over the coming year, as if each earlier
      one had been submitted; the rest stay overdue on their first cycle;
    - open applications were filed in the last 150 days (CBP decides within 90, so about
      two in five are overdue), not years ago.
    Both only move dates still in the past, so re-running the bench changes nothing."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partners_enrollment SET annual_due_on = CURRENT_DATE + (id % 365)::int "
            "WHERE annual_due_on < CURRENT_DATE AND id % 20 <> 0"
        )
        cursor.execute(
            "UPDATE partners_enrollment SET applied_on = CURRENT_DATE - (id % 150)::int "
            "WHERE program = 'security' AND status IN ('applicant', 'under_review') "
            "AND applied_on < CURRENT_DATE - 150"
        )


def sweep_figures() -> list[dict]:
    """The deadline sweep over every partner: a first run (all notices new), then a re-run."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deadlines.sweep import run_sweep

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE deadlines_sentnotice, notifications_notification, "
            "deadlines_consequence RESTART IDENTITY"
        )
    figures = []
    for label in ("first run", "re-run, nothing new"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            stats = run_sweep()
            elapsed = (time.perf_counter() - started) * 1000
        figures.append(
            {
                "name": f"deadline sweep, {label} ({stats['items']:,} open items, {stats['sent']:,} notices)",
                "median_ms": round(elapsed, 1),
                "p95_ms": round(elapsed, 1),
                "queries": len(queries),
            }
        )
    return figures


def dashboard_figures() -> list[dict]:
    """The supervisors' dashboard: the refresh that precomputes its figures (Celery beat,
    every DASHBOARD_REFRESH_SECONDS), then the page as a Buffalo supervisor and as an
    administrator, plain and filtered, and how old the figures are at worst."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.choices import Role
    from accounts.models import FieldOffice, User
    from dashboard.summary import refresh

    office = FieldOffice.objects.get(code="buffalo")
    supervisor = User.objects.filter(email="bench.supervisor@buffalo.example").first() or (
        User.objects.create_user(
            "bench.supervisor@buffalo.example",
            "bench-password",
            full_name="Supervisor Buffalo",
            role=Role.SUPERVISOR,
            field_office=office,
        )
    )
    admin = User.objects.get(email="bench.admin@example.gov")
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            snapshot = refresh()
            timings.append((time.perf_counter() - started) * 1000)
    refresh_ms = statistics.median(timings)
    figures = [
        {
            "name": f"dashboard refresh ({snapshot.figures.count():,} summary rows)",
            "median_ms": round(refresh_ms, 1),
            "p95_ms": round(max(timings), 1),
            "queries": len(queries),
        }
    ]
    specialist = User.objects.filter(role=Role.SPECIALIST, field_office=office).first()
    for who, user in (("supervisor, Buffalo", supervisor), ("administrator, all offices", admin)):
        client = Client()
        client.force_login(user)
        figures += [
            measure(client, f"supervisor dashboard ({who})", "/dashboard/"),
            measure(
                client,
                f"supervisor dashboard, filtered by program and entity type ({who})",
                "/dashboard/?program=security&entity_type=us_importer",
            ),
            measure(
                client,
                f"supervisor dashboard, one specialist ({who})",
                f"/dashboard/?specialist={specialist.pk}",
            ),
        ]
    worst = settings.DASHBOARD_REFRESH_SECONDS * 1000 + max(timings)
    figures.append(
        {
            "name": f"dashboard figures, oldest they can be (refresh every "
            f"{settings.DASHBOARD_REFRESH_SECONDS} s + its run time)",
            "median_ms": round(worst, 1),
            "p95_ms": round(worst, 1),
            "queries": 0,
        }
    )
    return figures


def report_figures(repeat: int = 5) -> list[dict]:
    """Validation report PDFs of 40 and 400 findings, each in a fresh process (peak memory)."""
    import subprocess

    figures = []
    for count in (40, 400):
        output = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "report_render.py"), str(count), str(repeat)],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ | {"DEBUG": "True"},
        ).stdout
        measured = json.loads(output.strip().splitlines()[-1])
        figures.append(
            {
                "name": f"validation report PDF, {count} findings (peak {measured['peak_mb']} MB)",
                "median_ms": measured["median_ms"],
                "p95_ms": measured["p95_ms"],
                "queries": 0,
                "peak_mb": measured["peak_mb"],
            }
        )
    return figures


def _own_redis(port: int):
    """Start a redis-server of this bench's own on `port` (no persistence); return it once
    it answers PING."""
    import socket
    import subprocess

    server = subprocess.Popen(  # noqa: S603
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],  # noqa: S607
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return server
        except OSError:
            time.sleep(0.02)
    server.kill()
    raise SystemExit(f"redis-server on port {port} did not start")


def _stop(process) -> None:
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _publish_to(url) -> None:
    """Point this process's Celery app at another broker to send to, as the repo's tests do
    (tests/ctpat/test_render_lease.py): drop the cached connection and producer pools."""
    from ctpat.celery import app

    app.conf.broker_write_url = url
    app._pool = None
    app.amqp._producer_pool = None


def _flush(port: int) -> None:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(b"FLUSHALL\r\n")
        s.recv(16)


def outbox_figures() -> list[dict]:
    """The outbox (issue 13): what it adds to a request that queues work (a supervisor asking
    for the dashboard PDF, sent to a live redis-server of the bench's own, nothing consuming)
    against the old way (send_task on commit, no row), and how long 1,000 rows queued while
    the broker was away take to be done once it is back (a real worker, concurrency 2)."""
    import socket
    import subprocess
    from datetime import timedelta

    from celery import current_app
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.choices import Role
    from accounts.models import FieldOffice, User
    from ctpat import outbox
    from ctpat.celery import app
    from ctpat.models import OutboxMessage
    from dashboard.models import DashboardReport

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    broker = f"redis://127.0.0.1:{port}/0"
    office = FieldOffice.objects.get(code="buffalo")
    supervisor = User.objects.filter(email="bench.supervisor@buffalo.example").first() or (
        User.objects.create_user(
            "bench.supervisor@buffalo.example",
            "bench-password",
            full_name="Supervisor Buffalo",
            role=Role.SUPERVISOR,
            field_office=office,
        )
    )
    client = Client()
    client.force_login(supervisor)
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # dispatch publishes for real
    outbox_enqueue = outbox.enqueue

    def old_enqueue(task, **kwargs):  # before the outbox: a send on commit, no row
        transaction.on_commit(lambda: current_app.send_task(task, kwargs=kwargs))

    def clean():
        DashboardReport.objects.filter(requested_by=supervisor).delete()
        OutboxMessage.objects.filter(task="dashboard.render_pdf").delete()
        _flush(port)

    def request(old: bool) -> float:
        outbox.enqueue = old_enqueue if old else outbox_enqueue
        try:
            started = time.perf_counter()
            response = client.post("/dashboard/pdf/")
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            outbox.enqueue = outbox_enqueue
        if response.status_code != 302:
            raise SystemExit(f"/dashboard/pdf/ answered {response.status_code}")
        clean()
        return elapsed

    server = _own_redis(port)
    figures = []
    try:
        _publish_to(broker)
        clean()
        for _ in range(3):
            request(False), request(True)
        # Interleaved, so drift in the database or the machine weighs on both alike.
        timings = {False: [], True: []}
        for _ in range(REPEAT):
            for old in (False, True):
                timings[old].append(request(old))
        queued = {}
        for old in (False, True):
            outbox.enqueue = old_enqueue if old else outbox_enqueue
            try:
                with CaptureQueriesContext(connection) as queries:
                    client.post("/dashboard/pdf/")
            finally:
                outbox.enqueue = outbox_enqueue
            queued[old] = int(redis_len(port, "celery"))
            clean()
            timings[old].sort()
            figures.append(
                {
                    "name": "request that queues work (dashboard PDF), "
                    + ("old way: send_task on commit, no row" if old else "through the outbox"),
                    "median_ms": round(statistics.median(timings[old]), 2),
                    "p95_ms": round(timings[old][max(0, int(len(timings[old]) * 0.95) - 1)], 2),
                    "queries": len(queries),
                    "url": "/dashboard/pdf/",
                    "published": queued[old],
                }
            )
        if queued != {False: 1, True: 1}:
            raise SystemExit(f"expected one message on the broker per request, got {queued}")
        figures.append(
            {
                "name": "outbox cost per request, difference (target: at most 2 ms)",
                "median_ms": round(figures[0]["median_ms"] - figures[1]["median_ms"], 2),
                "p95_ms": round(figures[0]["p95_ms"] - figures[1]["p95_ms"], 2),
                "queries": figures[0]["queries"] - figures[1]["queries"],
            }
        )
    finally:
        outbox.enqueue = outbox_enqueue
        _stop(server)

    # The backlog: 1,000 emails queued while the broker is away (the send after commit fails
    # fast and leaves the rows), then the broker back, a worker, and redispatch as beat.
    count = 1000
    worker = None
    log = ROOT / "bench" / "results" / "outbox-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        with transaction.atomic():
            rows = outbox.enqueue_many(
                "notifications.send_email",
                [
                    {
                        "to": [f"bench{n}@partner.example"],
                        "subject": f"Bench {n}",
                        "text": "Backlog drain.",
                        "html": "<p>Backlog drain.</p>",
                    }
                    for n in range(count)
                ],
            )
        pks = [row.pk for row in rows]
        backlog = OutboxMessage.objects.filter(pk__in=pks)
        if backlog.filter(dispatched_at__isnull=False).exists():
            raise SystemExit("the broker was stopped, yet some rows were sent")
        started = time.perf_counter()
        server = _own_redis(port)
        with log.open("w") as output:
            worker = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ctpat",
                    "worker",
                    "--concurrency=2",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=WARNING",
                    f"--hostname=bench-{port}@%h",
                ],
                cwd=ROOT,
                env=os.environ
                | {
                    "CELERY_BROKER_URL": broker,
                    "DATABASE_URL": DATABASE_URL,
                    "EMAIL_URL": "dummymail://",
                    "DEBUG": "True",
                },
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        sent = outbox.redispatch(older_than=timedelta(0))
        last_send = time.perf_counter()
        first_done = None
        while True:
            left = backlog.filter(done_at__isnull=True).count()
            if first_done is None and left < count:
                first_done = (time.perf_counter() - started) * 1000
            if left == 0:
                break
            if worker.poll() is not None:
                raise SystemExit(f"the bench's worker exited; see {log}")
            if time.perf_counter() - started > 600:
                raise SystemExit(f"{left} of {count} backlog rows still not done after 600 s")
            if time.perf_counter() - last_send >= 5:
                sent += outbox.redispatch(older_than=timedelta(0))
                last_send = time.perf_counter()
            time.sleep(0.05)
        elapsed = (time.perf_counter() - started) * 1000
        runs = sum(backlog.values_list("attempts", flat=True))
        figures.append(
            {
                "name": f"outbox backlog drain, {count:,} rows, broker back to last done "
                "(worker started then, concurrency 2; target: at most 60 s)",
                "median_ms": round(elapsed, 1),
                "p95_ms": round(elapsed, 1),
                "queries": 0,
                "first_done_ms": round(first_done, 1),
                "sends": sent,
                "runs": runs,
            }
        )
    finally:
        if worker is not None:
            _stop(worker)
        if server.poll() is None:
            _flush(port)
            _stop(server)
        OutboxMessage.objects.filter(task="notifications.send_email").delete()
        _publish_to(None)
        app.conf.task_always_eager = previous_eager
    return figures


def redis_len(port: int, key: str) -> int:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(f"LLEN {key}\r\n".encode())
        return int(s.recv(64).decode().strip().lstrip(":"))


def main() -> None:
    setup_django()
    from django.test import Client

    from partners.models import Partner

    people = seed(PARTNERS)
    seed_forced_labor()
    seed_realistic_deadlines()
    seed_benefits()
    people["supervisor"] = seed_validations()["buffalo"]
    total = Partner.objects.count()
    results = []
    for who in ("specialist", "admin"):
        client = Client()
        client.force_login(people[who])
        visible = Partner.objects.visible_to(people[who]).count()
        deep = max(1, visible // 50 - 1)
        sample = Partner.objects.visible_to(people[who]).order_by("pk")[visible // 2]
        scope = f"{who}, {visible:,} partners visible"
        results += [
            measure(client, f"partner list, first page ({scope})", "/partners/"),
            measure(client, f"partner list, deep page {deep} ({scope})", f"/partners/?page={deep}"),
            measure(
                client,
                f"partner list, filtered ({scope})",
                "/partners/?entity_type=us_importer&program=security&status=validated&tier=2",
            ),
            measure(
                client,
                f"partner list, filtered deep page ({scope})",
                "/partners/?program=security&status=validated&page=200",
            ),
            measure(
                client, f"partner list, searched by name ({scope})", "/partners/?q=harbor+summit"
            ),
            measure(
                client,
                f"partner list, searched by identifier ({scope})",
                f"/partners/?q={sample.identifiers.first().value}",
            ),
            measure(
                client,
                f"partner list, sorted by account, deep ({scope})",
                f"/partners/?sort=-account&page={deep // 2}",
            ),
            measure(client, f"partner page ({scope})", f"/partners/{sample.pk}/"),
            measure(
                client, f"forced-labor review queue, first page ({scope})", "/forced-labor/queue/"
            ),
            measure(
                client,
                f"forced-labor review queue, page 20 ({scope})",
                "/forced-labor/queue/?page=20",
            ),
        ]
    results += benefits_figures(people)
    results += dashboard_figures()
    results += sweep_figures()
    results += outbox_figures()
    results += report_figures()
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    path.write_text(
        json.dumps(
            {
                "database": f"PostgreSQL {server}",
                "partners": total,
                "repeat": REPEAT,
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "figures": results,
            },
            indent=2,
        )
    )
    width = max(len(r["name"]) for r in results)
    print(f"\n{'figure'.ljust(width)}  median ms   p95 ms  queries")
    for r in results:
        print(
            f"{r['name'].ljust(width)}  {r['median_ms']:9.2f}  {r['p95_ms']:7.2f}  {r['queries']:7d}"
        )
    print(f"\n{total:,} partners on PostgreSQL {server}; {REPEAT} timed requests per figure.")
    print(f"Figures written to {path}")


if __name__ == "__main__":
    main()
