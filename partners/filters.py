import django_filters
from django.db.models import Q
from django.utils import timezone

from accounts.choices import Role
from accounts.models import FieldOffice, User
from ctpat import partner_filters

from .choices import EntityType, Program, Status
from .identifiers import CHECKERS
from .models import Partner, PartnerIdentifier

SEARCH_ID_LIMIT = 2000
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
    condition = django_filters.ChoiceFilter(
        choices=[],
        method="by_condition",
        label="Condition",
        help_text="A named condition (ctpat.partner_filters), as counted on the dashboard.",
    )
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
        self.filters["condition"].extra["choices"] = [
            (c.code, c.label) for c in partner_filters.conditions().values()
        ]

    def by_condition(self, queryset, name, value):
        condition = partner_filters.condition(value)
        if condition is None:
            return queryset
        matching = Partner.objects.filter(condition.condition(timezone.localdate()))
        return queryset.filter(pk__in=matching.values("pk"))

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        # The partners with a matching identifier are looked up first (an exact, indexed
        # lookup), so every arm of the OR below can use an index: trigram indexes on the
        # names (PostgreSQL), the unique index on account numbers, the primary key.
        by_identifier = list(
            PartnerIdentifier.objects.filter(value__in=identifier_candidates(text)).values_list(
                "partner_id", flat=True
            )[:1000]
        )
        matches = queryset.filter(
            Q(legal_name__icontains=text)
            | Q(dba_name__icontains=text)
            | Q(account_number=text.upper())
            | Q(pk__in=by_identifier)
        )
        # A selective search is resolved to its ids first, without ORDER BY, so the
        # database takes the indexes above instead of walking the whole list in name
        # order hoping to meet 50 matches; the page and the count then read those ids.
        # A broad search ("inc") keeps the plain query, which that walk suits.
        ids = list(matches.order_by().values_list("pk", flat=True)[: SEARCH_ID_LIMIT + 1])
        if len(ids) <= SEARCH_ID_LIMIT:
            return queryset.filter(pk__in=ids)
        return matches

    def by_enrollment(self, queryset, name, value):
        # Applied once for program, status and tier together, in filter_queryset below.
        return queryset

    def filter_queryset(self, queryset):
        """Program, status and tier filter together, on the partner's copy of its statuses."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        program, status, tier = data.get("program"), data.get("status"), data.get("tier")
        if tier:
            queryset = queryset.filter(security_tier=int(tier))
        if program == Program.SECURITY:
            queryset = queryset.filter(**({"security_status": status} if status else {})).exclude(
                security_status=""
            )
        elif program == Program.TRADE_COMPLIANCE:
            queryset = queryset.filter(
                **({"trade_compliance_status": status} if status else {})
            ).exclude(trade_compliance_status="")
        elif status:
            queryset = queryset.filter(
                Q(security_status=status) | Q(trade_compliance_status=status)
            )
        return queryset
