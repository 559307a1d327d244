import factory

from accounts.choices import Role
from accounts.models import FieldOffice, User

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
