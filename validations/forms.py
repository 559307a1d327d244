from datetime import timedelta

from django import forms
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from accounts.once import OnceFormMixin
from ctpat.csv_preview import CsvUploadForm
from ctpat.uploads import UploadFormMixin
from partners.choices import Status as EnrollmentStatus

from .choices import Kind, Mode, Move, Result

DATE = forms.DateInput(attrs={"type": "date"})


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
    planned_start = forms.DateField(widget=DATE)
    planned_end = forms.DateField(widget=DATE)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        specialists = User.objects.filter(
            role=Role.SPECIALIST, is_active=True, field_office=partner.field_office_id
        )
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

    def __init__(self, *args, move: str, **kwargs):
        super().__init__(*args, **kwargs)
        if move in (Move.RETURN, Move.CANCEL):
            self.fields["comment"].required = True
            self.fields["comment"].label = (
                "What should change" if move == Move.RETURN else "Why it is cancelled"
            )
        if move == Move.APPROVE:
            self.fields["outcome"] = forms.ChoiceField(
                choices=[
                    ("2", "Passed: Tier 2"),
                    ("3", "Passed: Tier 3 (exceeds the criteria)"),
                    ("failed", "Failed: recommend suspension"),
                ],
                widget=forms.RadioSelect,
            )
            self.order_fields(["outcome", "comment"])

    def tier(self):
        outcome = self.cleaned_data.get("outcome")
        return None if outcome == "failed" else int(outcome)


class DocumentRequestForm(OnceFormMixin, forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_on = forms.DateField(widget=DATE, label="Due on")


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


FindingFormSet = forms.formset_factory(FindingForm, extra=0)


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
