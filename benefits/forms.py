from django import forms
from django.utils import timezone

from accounts.once import OnceFormMixin
from ctpat.forms import DateField, DateInput

from .choices import ProposalMove
from .models import AgencyOffering, AgencyParticipation, Baseline, Observation, Proposal

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
DATE = DateInput()
FIGURE_FIELDS = [
    "period",
    "shipments",
    "examinations",
    "holds",
    "hours_to_release",
    "wro_detentions",
    "wro_held_at_premises",
    "rulings",
    "days_to_ruling",
    "source",
]


class FiguresForm(forms.ModelForm):
    """One month's figures; the same form checks every row of a CSV import.

    The model's constraints (no more examinations or holds than shipments, ...) are
    checked by the form as well, so their messages show beside the row or field.
    """

    period = forms.DateField(
        widget=MONTH, input_formats=["%Y-%m"], help_text="The month, as YYYY-MM."
    )

    # Counts a file may leave empty: none happened.
    zero_when_empty = ("wro_detentions", "wro_held_at_premises", "rulings")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.zero_when_empty:
            self.fields[name].required = False

    def _clean_fields(self):
        super()._clean_fields()
        for name in self.zero_when_empty:
            if self.cleaned_data.get(name, 0) is None:
                self.cleaned_data[name] = 0

    def clean_period(self):
        period = self.cleaned_data["period"].replace(day=1)
        if period > timezone.localdate().replace(day=1):
            raise forms.ValidationError("The month is in the future.")
        return period


class ObservationForm(FiguresForm):
    class Meta:
        model = Observation
        fields = FIGURE_FIELDS


class BaselineForm(FiguresForm):
    class Meta:
        model = Baseline
        fields = ["entity_type", *FIGURE_FIELDS]


class CorrectionMixin(forms.Form):
    reason = forms.CharField(
        label="Reason for the correction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the month is already recorded: the figures are corrected and "
        "the earlier ones kept in the history.",
    )


class ObservationEntryForm(OnceFormMixin, CorrectionMixin, ObservationForm):
    pass


class BaselineEntryForm(OnceFormMixin, CorrectionMixin, BaselineForm):
    pass


class ProposalForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "sponsor_kind", "sponsor", "program", "rationale", "metric"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4})}


class ProposalMoveForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, move: str, **kwargs):
        super().__init__(*args, **kwargs)
        if move == ProposalMove.DECLINE:
            self.fields["reason"].required = True
            self.fields["reason"].label = "Why it is declined"


class CommentForm(OnceFormMixin, forms.Form):
    text = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class ParticipationForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = AgencyParticipation
        fields = ["offering", "since", "until"]
        widgets = {"since": DATE, "until": DATE}
        field_classes = {"since": DateField, "until": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = AgencyOffering.objects.select_related("agency")
        self.fields["offering"].label = "Agency benefit or pilot"

    def clean(self):
        data = super().clean()
        if data.get("until") and data.get("since") and data["until"] < data["since"]:
            self.add_error("until", "The end is before the start.")
        return data


class ReportForm(OnceFormMixin, forms.Form):
    year = forms.IntegerField(min_value=2000)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError("The year has not begun.")
        return year
