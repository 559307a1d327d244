from django import forms

from accounts.once import OnceFormMixin
from ctpat import uploads
from ctpat.errors import DomainError
from ctpat.forms import DateField, DateInput
from ctpat.uploads import MultipleFileField, UploadFormMixin

DATE = DateInput()


class SubmissionForm(UploadFormMixin, OnceFormMixin, forms.Form):
    upload_field = "files"

    title = forms.CharField(max_length=200)
    effective_on = DateField(
        widget=DATE, label="Effective date", help_text="When the document took effect."
    )
    files = MultipleFileField(
        label="Files",
        help_text="One or more PDF, Word (DOCX), Excel (XLSX), PNG or JPEG files. The content "
        "decides, not the name.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, asks_public_url=False, **kwargs):
        super().__init__(*args, **kwargs)
        if asks_public_url:
            self.fields["public_url"] = forms.URLField(
                label="Public address of the code of conduct",
                help_text="The https:// page where anyone can read it.",
                assume_scheme="https",
            )

    def clean_files(self):
        """Each file judged here too, so what is wrong with it shows under the field."""
        files = self.cleaned_data["files"]
        for file in files:
            try:
                uploads.check(file)
            except DomainError as error:
                raise forms.ValidationError(error.message) from None
        return files

    def clean_public_url(self):
        url = self.cleaned_data["public_url"]
        if not url.lower().startswith("https://"):
            raise forms.ValidationError("Give an https:// address.")
        return url


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("return", "Return to the partner")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when returning: the partner reads it.",
    )


class RiskCheckForm(forms.Form):
    checked_on = DateField(widget=DATE, label="Checked on")
    note = forms.CharField(max_length=300, required=False)
