from django import forms

from accounts.once import OnceFormMixin
from ctpat.forms import DateField, DateInput
from ctpat.program_rules import rule


class ExtensionRequestForm(OnceFormMixin):
    key = forms.CharField(widget=forms.HiddenInput)
    requested_until = DateField(
        label="New due date you ask for",
        widget=DateInput(),
    )
    reason = forms.CharField(
        label="Why more time is needed",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The specialist reads this when deciding; it stays on the record.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_until"].help_text = (
            f"At most {rule('extension_max_days')} days after the current due date "
            "(or after today, if it has passed)."
        )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("grant", "Grant: move the due date"), ("deny", "Deny")],
        widget=forms.RadioSelect,
    )
    until = DateField(
        label="New due date",
        required=False,
        widget=DateInput(),
        help_text="When granting; the date the partner asked for if left empty.",
    )
    note = forms.CharField(
        label="Note to the partner",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when denying.",
    )


class ConsequenceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", "Confirm"), ("dismiss", "Dismiss")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Goes on the partner's record.",
    )
