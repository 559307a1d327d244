import django_filters
from django.db.models import Exists, OuterRef, Q

from accounts.choices import Role
from accounts.models import FieldOffice, User

from .choices import EntityType, Program, Status
from .identifiers import CHECKERS
from .models import Enrollment, PartnerIdentifier

TIERS = [("1", "Tier 1"), ("2", "Tier 2"), ("3", "Tier 3")]


def identifier_candidates(text: str) -> set[str]:
    """Every stored form the typed text could be (12-3456789, 123456789, ...)."""
    forms = {text.upper()}
    for checker in CHECKERS.values():
        try:
            forms.add(checker(text))
        except Exception:  # noqa: S112 - not this kind of identifier
            continue
    return forms


class PartnerFilter(django_filters.FilterSet):
    """The partner list's search, filters and sort order."""

    q = django_filters.CharFilter(method="search", label="Search")
    entity_type = django_filters.ChoiceFilter(choices=EntityType.choices, label="Entity type")
    program = django_filters.ChoiceFilter(
        choices=Program.choices, method="by_enrollment", label="Program"
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices, method="by_enrollment", label="Status"
    )
    tier = django_filters.ChoiceFilter(choices=TIERS, method="by_enrollment", label="Tier")
    field_office = django_filters.ModelChoiceFilter(
        queryset=FieldOffice.objects.all(), label="Field office"
    )
    specialist = django_filters.ModelChoiceFilter(queryset=User.objects.none(), label="Specialist")
    sort = django_filters.OrderingFilter(
        fields=(
            ("legal_name", "name"),
            ("account_number", "account"),
            ("entity_type", "type"),
            ("created_at", "created"),
        ),
        field_labels={"name": "Name", "account": "Account number", "type": "Entity type"},
        label="Sort by",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        specialists = User.objects.filter(role=Role.SPECIALIST).order_by("full_name")
        offices = FieldOffice.objects.all()
        if user is not None and user.role != Role.ADMINISTRATOR:
            specialists = specialists.filter(field_office=user.field_office_id)
            offices = offices.filter(pk=user.field_office_id)
        self.filters["specialist"].queryset = specialists
        self.filters["field_office"].queryset = offices

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        identifiers = PartnerIdentifier.objects.filter(
            partner=OuterRef("pk"), value__in=identifier_candidates(text)
        )
        return queryset.filter(
            Q(legal_name__icontains=text)
            | Q(dba_name__icontains=text)
            | Q(account_number=text.upper())
            | Exists(identifiers)
        )

    def by_enrollment(self, queryset, name, value):
        # Applied once for program, status and tier together, in filter_queryset below.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        conditions = {
            field: data[field]
            for field in ("program", "status", "tier")
            if data.get(field) not in (None, "")
        }
        if conditions:
            queryset = queryset.filter(
                Exists(Enrollment.objects.filter(partner=OuterRef("pk"), **conditions))
            )
        return queryset
