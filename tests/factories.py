import functools
from datetime import date, timedelta

import factory
from django.utils import timezone

from accounts.choices import Role
from accounts.models import FieldOffice, User
from partners.deadlines import first_annual_due

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test fixture


class FieldOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOffice
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Field office {n}")
    code = factory.Sequence(lambda n: f"office-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A specialist by default; traits give the other roles."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov")
    full_name = factory.Faker("name")
    role = Role.SPECIALIST
    field_office = factory.SubFactory(FieldOfficeFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        specialist = factory.Trait(role=Role.SPECIALIST)
        supervisor = factory.Trait(role=Role.SUPERVISOR)
        partner = factory.Trait(role=Role.PARTNER, field_office=None)
        administrator = factory.Trait(role=Role.ADMINISTRATOR, field_office=None)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PartnerFactory(factory.django.DjangoModelFactory):
    """A U.S. importer with its Security application; traits move it along."""

    class Meta:
        model = "partners.Partner"
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Partner {n:05d} Inc.")
    entity_type = "us_importer"
    account_number = factory.Sequence(lambda n: f"CT{n:08d}")
    street = "1 Main Street"
    city = "Buffalo"
    country = "US"
    field_office = factory.SubFactory(FieldOfficeFactory)
    importing_since = factory.LazyFunction(lambda: date.today() - timedelta(days=3650))

    @factory.post_generation
    def security(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EnrollmentFactory(partner=obj, **(extracted or {}))


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An enrollment in a given state; the partner's copy of its status follows."""

    class Meta:
        model = "partners.Enrollment"
        skip_postgeneration_save = True

    @factory.post_generation
    def _copy_to_partner(obj, create, extracted, **kwargs):
        if create:
            from partners.services import copy_to_partner

            copy_to_partner(obj)

    partner = factory.SubFactory(PartnerFactory, security=False)
    program = "security"
    status = "applicant"
    applied_on = factory.LazyFunction(lambda: date.today() - timedelta(days=400))
    # What the certifying or accepting service stores: the first yearly submission's date.
    annual_due_on = factory.LazyAttribute(first_annual_due)

    class Params:
        certified = factory.Trait(
            status="certified",
            tier=1,
            certified_on=factory.LazyFunction(lambda: date.today() - timedelta(days=300)),
        )
        validated = factory.Trait(
            status="validated",
            tier=2,
            certified_on=factory.LazyFunction(lambda: date.today() - timedelta(days=300)),
            last_validated_on=factory.LazyFunction(lambda: date.today() - timedelta(days=100)),
        )
        trade_accepted = factory.Trait(
            program="trade_compliance",
            status="accepted",
            accepted_on=factory.LazyFunction(lambda: date.today() - timedelta(days=320)),
        )


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Site"

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    kind = "domestic"
    street = "2 Dock Road"
    city = "Buffalo"
    country = "US"


class IdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.PartnerIdentifier"

    partner = factory.SubFactory(PartnerFactory)
    kind = "duns"
    value = factory.Sequence(lambda n: f"{n:09d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Membership"

    partner = factory.SubFactory(PartnerFactory)
    user = factory.SubFactory(UserFactory, partner=True)
    role = "user"

    class Params:
        officer = factory.Trait(role="company_officer")


class ValidationFactory(factory.django.DjangoModelFactory):
    """A planned validation of a certified partner, with its lead and supervisor."""

    class Meta:
        model = "validations.Validation"
        skip_postgeneration_save = True

    enrollment = factory.SubFactory(EnrollmentFactory, certified=True)
    kind = "initial"
    mode = "on_site"
    lead = factory.LazyAttribute(
        lambda o: UserFactory(specialist=True, field_office=o.enrollment.partner.field_office)
    )
    approving_supervisor = factory.LazyAttribute(
        lambda o: UserFactory(supervisor=True, field_office=o.enrollment.partner.field_office)
    )
    planned_start = factory.LazyFunction(lambda: date.today() + timedelta(days=20))
    planned_end = factory.LazyFunction(lambda: date.today() + timedelta(days=22))
    criteria_date = factory.LazyFunction(date.today)


def png_bytes() -> bytes:
    """A real 1x1 PNG."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )


def pdf_bytes() -> bytes:
    """A real one-page PDF (uploads parse PDFs: a fake one is refused)."""
    return _blank_pdf()


@functools.cache
def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


SEEDED = date(2000, 1, 1)  # the effective date of the seeded rules (ctpat/migrations/0002)


def set_rule(name: str, value, *, effective_from: date = SEEDED):
    """Give program rule `name` the value `value` from `effective_from` (by default the
    seeded row itself, so the new value holds for every day). Lists are written 30,7,1."""
    from ctpat.models import ProgramRule

    seeded = ProgramRule.objects.filter(name=name).first()
    if seeded is None:
        raise LookupError(f"No program rule is named {name!r}.")
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    row, _ = ProgramRule.objects.update_or_create(
        name=name,
        effective_from=effective_from,
        defaults={
            "value": str(value),
            "unit": seeded.unit,
            "source": seeded.source,
            "reason": "Set by a test.",
        },
    )
    return row


class CorrectiveActionPlanFactory(factory.django.DjangoModelFactory):
    """A corrective action plan answering the enrollment's suspension in force."""

    class Meta:
        model = "partners.CorrectiveActionPlan"

    enrollment = factory.SubFactory(EnrollmentFactory, status="suspended")
    suspended_on = factory.LazyAttribute(lambda o: o.enrollment.suspended_on or date.today())
    summary = "Seals are now checked at loading by two people."
    created_by = factory.SubFactory(UserFactory, role="partner")
    status = "draft"

    class Params:
        submitted = factory.Trait(
            status="submitted", submitted_at=factory.LazyFunction(timezone.now)
        )
        accepted = factory.Trait(
            status="accepted",
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
            decision_reason="The plan answers the cause.",
        )


def accepted_profile(partner, *, reviewer=None, answers: bool = True):
    """An accepted Security Profile (version 1) of `partner`, as CBP would have accepted it:
    what certification needs since issue 16. Each criterion in force for the partner's entity
    type is answered "yes" and accepted, unless `answers=False`."""
    from profiles.models import ProfileAnswer, SecurityProfile
    from validations.selectors import criteria_in_force

    reviewer = reviewer or UserFactory(specialist=True, field_office=partner.field_office)
    now, today = timezone.now(), timezone.localdate()
    profile = SecurityProfile.objects.create(
        partner=partner,
        version=(SecurityProfile.objects.filter(partner=partner).count() + 1),
        status="accepted",
        criteria_date=today,
        created_by=reviewer,
        signed_name="Pat Officer",
        signed_title="President",
        signed_on=today,
        agreement_version="2020-03",
        submitted_by=reviewer,
        submitted_at=now,
        blank_percent=0,
        reviewer=reviewer,
        decided_at=now,
    )
    if answers:
        ProfileAnswer.objects.bulk_create(
            ProfileAnswer(
                profile=profile,
                criterion_version=version,
                implemented="yes",
                narrative="A written procedure, followed and checked.",
                owner="Security manager",
                review="accepted",
                reviewed_by=reviewer,
                reviewed_at=now,
            )
            for version in criteria_in_force(partner.entity_type, today)
        )
    return profile
