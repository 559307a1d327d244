from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models import ProgramRule

IN_FORCE_HELP = (
    "A new value is a new row with a later effective date. A row already in force (effective "
    "today or earlier) cannot be edited or deleted, so decisions made under it keep it; "
    "decisions already made (due dates set, extensions granted) keep their dates either way."
)


class ProgramRuleForm(forms.ModelForm):
    class Meta:
        model = ProgramRule
        fields = ["name", "value", "unit", "effective_from", "source", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # New values are for the rules the code reads; a new name would be read by nothing.
        # (A row in force is shown read only, without these fields.)
        if "name" in self.fields:
            names = ProgramRule.objects.order_by("name").values_list("name", flat=True)
            choices = [("", "---------")] + [(n, n) for n in names.distinct()]
            self.fields["name"].widget = forms.Select(choices=choices)
        if "effective_from" in self.fields:
            self.fields["effective_from"].help_text = "Today or later. " + IN_FORCE_HELP

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            raise ValidationError(
                "A rule cannot be changed in the past: choose today or a later day."
            )
        return day


@admin.register(ProgramRule)
class ProgramRuleAdmin(SimpleHistoryAdmin):
    """The program's day counts and dates, each value dated; see ctpat.program_rules."""

    form = ProgramRuleForm
    list_display = ["name", "value", "unit", "effective_from", "source", "changed_by"]
    list_filter = ["name", "unit"]
    search_fields = ["name", "source", "reason"]
    date_hierarchy = "effective_from"
    readonly_fields = ["changed_by", "changed_at"]
    # No bulk delete: a row is deleted on its own page, and only before it is in force.
    actions = None

    def _in_force(self, obj) -> bool:
        """Judged on the table's row, never on the object handed in: the history pages hand
        in an old snapshot, whose date may still lie in the future."""
        return (
            obj is not None
            and ProgramRule.objects.filter(
                pk=obj.pk, effective_from__lte=timezone.localdate()
            ).exists()
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to an earlier version is editing: refused for a row in force (the revert
        page ignores the change permission when it saves)."""
        if request.method == "POST" and self._in_force(ProgramRule(pk=object_id)):
            raise PermissionDenied("A rule in force is not edited; add a new dated row.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_permission(self, request, obj=None):
        return not self._in_force(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_force(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)
