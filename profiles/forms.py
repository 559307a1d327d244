from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctpat import uploads
from ctpat.errors import DomainError
from ctpat.forms import DateField, DateInput
from ctpat.uploads import MultipleFileField, UploadFormMixin

from .choices import AGREEMENT_VERSIONS, Implemented


class AnswerForm(UploadFormMixin, forms.Form):
    """One answer; every field may stay empty in a draft (save now, resume later)."""

    upload_field = "files"

    implemented = forms.ChoiceField(
        label=_("Implemented"),
        choices=[("", _("Not answered yet")), *Implemented.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    not_applicable_reason = forms.CharField(
        label=_("Why it does not apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the criterion is not applicable."),
    )
    narrative = forms.CharField(
        label=_("How it is met"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the procedure, who does it, and how often."),
    )
    owner = forms.CharField(
        label=_("Owner"),
        max_length=150,
        required=False,
        help_text=_("The person or team responsible."),
    )
    last_reviewed_on = DateField(label=_("Date last reviewed"), required=False, widget=DateInput())
    on_file = forms.ModelMultipleChoiceField(
        label=_("Evidence on file"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Documents the company already keeps on file for its profile."),
    )
    files = MultipleFileField(
        label=_("Upload new evidence"),
        required=False,
        help_text=_(
            "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG. The content decides, not the name."
        ),
    )
    answer_later = forms.BooleanField(
        label=_("Answer later"),
        required=False,
        help_text=_("Flag it to come back to; the profile can be saved and resumed."),
    )

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_file"].queryset = documents
        self.fields["on_file"].label_from_instance = lambda d: d.original_name

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        for file in files:
            try:
                uploads.check(file)
            except DomainError as error:
                raise forms.ValidationError(error.message) from None
        return files


class SubmitForm(forms.Form):
    """The company officer's signature."""

    signed_name = forms.CharField(label=_("Your name"), max_length=150)
    signed_title = forms.CharField(label=_("Your title"), max_length=150)
    signed_on = DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    agreement_version = forms.ChoiceField(
        label=_("Partner agreement"),
        choices=AGREEMENT_VERSIONS,
        help_text=_("The text of the partner agreement you sign."),
    )
    confirm = forms.BooleanField(
        label=_(
            "As company officer I sign this Security Profile: its answers are true and "
            "complete to the best of my knowledge."
        )
    )


class AnswerReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Review"),
        choices=[("accept", _("Accepted")), ("needs_info", _("Needs more information"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when more information is needed: the partner reads it."),
    )


class DecideForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the partner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
