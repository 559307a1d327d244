from django import forms

from accounts.choices import Role
from accounts.models import FieldOffice, User
from partners.choices import EntityType, Program


class DashboardFilterForm(forms.Form):
    """Program, entity type, field office (administrators) and specialist."""

    program = forms.ChoiceField(choices=[("", "All programs"), *Program.choices], required=False)
    entity_type = forms.ChoiceField(
        choices=[("", "All entity types"), *EntityType.choices], required=False
    )
    field_office = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    specialist = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, user, specialists, **kwargs):
        super().__init__(*args, **kwargs)
        offices = FieldOffice.objects.order_by("name")
        choices = [(o.pk, o.name) for o in offices]
        if user.role == Role.ADMINISTRATOR:
            choices = [("", "All field offices"), *choices]
        else:  # a supervisor's dashboard is their own office's
            choices = [c for c in choices if c[0] == user.field_office_id]
            self.fields["field_office"].disabled = True
        self.fields["field_office"].choices = choices
        self.fields["specialist"].choices = [("", "All specialists")] + [
            (pk, name) for pk, name in specialists
        ]


def specialists_in_scope(user):
    people = User.objects.filter(role=Role.SPECIALIST).order_by("full_name")
    if user.role != Role.ADMINISTRATOR:
        people = people.filter(field_office_id=user.field_office_id)
    return list(people.values_list("pk", "full_name"))
