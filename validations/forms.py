from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from accounts.once import OnceFormMixin
from ctpat.csv_preview import CsvUploadForm
from ctpat.forms import DateField, DateInput
from ctpat.uploads import UploadFormMixin
from partners.choices import Status as EnrollmentStatus

from .choices import RESULTS_BY_LEVEL, Kind, Level, Mode, Move, Result

DATE = DateInput()


class PlanForm(OnceFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices)
    mode = forms.ChoiceField(choices=Mode.choices)
    lead = forms.ModelChoiceField(queryset=User.objects.none(), label="Lead specialist")
    team = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Team members",
        widget=forms.CheckboxSelectMultiple,
    )
    sites = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Sites to visit", widget=forms.CheckboxSelectMultiple
    )
    approving_supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Approving supervisor"),
        help_text=_("A supervisor of the partner's field office decides the report."),
    )
    planned_start = DateField(widget=DATE)
    planned_end = DateField(widget=DATE)

    def __init__(self, *args, partner, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        specialists = User.objects.filter(
            role=Role.SPECIALIST, is_active=True, field_office=partner.field_office_id
        )
        self.fields["approving_supervisor"].queryset = User.objects.filter(
            role=Role.SUPERVISOR, is_active=True, field_office=partner.field_office_id
        )
        if actor is not None and actor.role == Role.SUPERVISOR:
            self.fields["approving_supervisor"].initial = actor.pk
        self.fields["lead"].queryset = specialists
        self.fields["lead"].initial = partner.specialist_id
        self.fields["team"].queryset = specialists
        self.fields["sites"].queryset = partner.sites.all()
        if partner.security_status == EnrollmentStatus.SUSPENDED:
            # A suspended partner gets only a for-cause validation (permissions).
            self.fields["kind"].choices = [(Kind.FOR_CAUSE, Kind.FOR_CAUSE.label)]
        start = timezone.localdate() + timedelta(days=30)
        self.fields["planned_start"].initial = start
        self.fields["planned_end"].initial = start + timedelta(days=2)


class MoveForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, move: str, tier_3: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if move in (Move.RETURN, Move.CANCEL):
            self.fields["comment"].required = True
            self.fields["comment"].label = (
                "What should change" if move == Move.RETURN else "Why it is cancelled"
            )
        if move == Move.APPROVE:
            # Tier 3 is offered only when permissions.can_award_tier_3 allows it.
            outcomes = [
                ("2", _("Passed: Tier 2")),
                ("3", _("Passed: Tier 3 (exceeds the criteria)")),
                ("failed", _("Failed: propose a Security suspension")),
            ]
            self.fields["outcome"] = forms.ChoiceField(
                choices=[o for o in outcomes if tier_3 or o[0] != "3"],
                widget=forms.RadioSelect,
            )
            self.order_fields(["outcome", "comment"])

    def tier(self):
        outcome = self.cleaned_data.get("outcome")
        return None if outcome == "failed" else int(outcome)


class DocumentRequestForm(OnceFormMixin, forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_on = DateField(widget=DATE, label="Due on")


class UploadForm(UploadFormMixin, OnceFormMixin, forms.Form):
    file = forms.FileField(
        help_text="PDF, Word (DOCX), Excel (XLSX), PNG or JPEG. The file's content decides, "
        "not its name."
    )


class FindingForm(forms.Form):
    finding = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        choices=[("", "Not assessed"), *Result.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    narrative = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class BaseFindingFormSet(forms.BaseFormSet):
    """Each row offers only the results its criterion's level allows (RESULTS_BY_LEVEL);
    `levels` gives the level of each row, in order."""

    def __init__(self, *args, levels, **kwargs):
        self.levels = levels
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if i < len(self.levels):
            allowed = RESULTS_BY_LEVEL[Level(self.levels[i])]
            form.fields["result"].choices = [
                ("", _("Not assessed")),
                *((r.value, r.label) for r in allowed),
            ]
        return form


FindingFormSet = forms.formset_factory(FindingForm, formset=BaseFindingFormSet, extra=0)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The partner reads this on the validation page."),
    )


class ResponseForm(UploadFormMixin, OnceFormMixin, forms.Form):
    response = forms.CharField(
        label="Corrective action taken", widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(required=False, label="Evidence (optional)")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept the response"), ("return", "Return it to the partner")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


CriteriaImportForm = CsvUploadForm  # the shared upload step
