from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.forms import AddressField
from accounts.models import User
from accounts.once import OnceFormMixin
from ctpat.csv_preview import CsvUploadForm
from ctpat.forms import DateField, DateInput
from ctpat.uploads import ACCEPTED_LABEL, MultipleFileField, UploadFormMixin

from .choices import (
    ELIGIBILITY_QUESTIONS,
    EntityType,
    IdentifierKind,
    MembershipRole,
    Move,
    SuspensionCause,
)
from .identifiers import normalize_identifier
from .models import Partner, PartnerIdentifier, Site
from .services import PARTNER_FIELDS, SITE_FIELDS, identifier_owner_message

DATE = DateInput()
REASON_HELP = "Goes on the partner's timeline with your name."


class ReasonMixin(forms.Form):
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = PARTNER_FIELDS
        widgets = {"importing_since": DATE}
        field_classes = {"importing_since": DateField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        specialists = User.objects.filter(role=Role.SPECIALIST, is_active=True)
        managers = User.objects.filter(role__in=[Role.SPECIALIST, Role.SUPERVISOR], is_active=True)
        if user is not None and user.role != Role.ADMINISTRATOR:
            # Staff assign within their own field office.
            self.fields["field_office"].queryset = self.fields["field_office"].queryset.filter(
                pk=user.field_office_id
            )
            self.fields["field_office"].initial = user.field_office_id
            specialists = specialists.filter(field_office=user.field_office_id)
            managers = managers.filter(field_office=user.field_office_id)
        self.fields["specialist"].queryset = specialists
        self.fields["national_account_manager"].queryset = managers

    def clean_importing_since(self):
        value = self.cleaned_data.get("importing_since")
        if value and value > timezone.localdate():
            raise ValidationError("The first import cannot be in the future.")
        return value

    def clean(self):
        data = super().clean()
        highway = data.get("entity_type") == EntityType.HIGHWAY_CARRIER
        if highway and not data.get("highway_border"):
            self.add_error("highway_border", "A highway carrier needs its border.")
        elif not highway and data.get("highway_border"):
            self.add_error("highway_border", "Only highway carriers have a border; leave it empty.")
        return data


class PartnerEditForm(ReasonMixin, PartnerForm):
    pass


class PartnerApplicationForm(PartnerForm):
    """A partner with the date of its Security application (one CSV row, or the page)."""

    applied_on = DateField(
        label="Security application received on",
        widget=DATE,
        help_text="Starts the 90-day certification clock.",
    )

    def clean_applied_on(self):
        value = self.cleaned_data["applied_on"]
        if value > timezone.localdate():
            raise ValidationError("The application cannot be dated in the future.")
        return value


class PartnerCreateForm(OnceFormMixin, PartnerApplicationForm):
    """`duplicate_reason` appears once the page has warned of likely duplicates
    (`ask_duplicate_reason`), and comes back with the next submission."""

    DUPLICATE_REASON = "duplicate_reason"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.DUPLICATE_REASON in self.data:
            self._add_duplicate_reason()

    def _add_duplicate_reason(self):
        self.fields[self.DUPLICATE_REASON] = forms.CharField(
            label=_("Reason to create it anyway"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Why this is not one of the partners listed above. Kept in the audit log."),
        )

    def ask_duplicate_reason(self, *, again: bool) -> None:
        if self.DUPLICATE_REASON not in self.fields:
            self._add_duplicate_reason()
        if again:
            self.add_error(
                self.DUPLICATE_REASON,
                _("Say why this is a different partner, or open the existing one instead."),
            )


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(label="Identifier type", choices=IdentifierKind.choices)
    value = forms.CharField(label="Identifier", max_length=30)

    def __init__(self, *args, user=None, optional=False, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # In the new-partner form a row whose identifier is left empty is simply skipped.
        self.fields["value"].required = not optional

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), data.get("value")
        if not (kind and value):
            return data
        try:
            data["value"] = normalize_identifier(kind, value)
        except ValidationError as error:
            self.add_error("value", error)
            return data
        owner = (
            PartnerIdentifier.objects.filter(kind=kind, value=data["value"])
            .select_related("partner")
            .first()
        )
        if owner is not None:
            self.add_error(
                "value", identifier_owner_message(kind, data["value"], owner.partner, self.user)
            )
        return data


class BaseIdentifierFormSet(forms.BaseFormSet):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user, "optional": True}

    def clean(self):
        seen = set()
        for form in self.forms:
            key = (form.cleaned_data.get("kind"), form.cleaned_data.get("value"))
            if key[1] and key in seen:
                form.add_error("value", "This identifier is listed twice.")
            seen.add(key)


IdentifierFormSet = formset_factory(IdentifierForm, formset=BaseIdentifierFormSet, extra=3)


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = SITE_FIELDS


class SiteCreateForm(OnceFormMixin, SiteForm):
    pass


class SiteEditForm(ReasonMixin, SiteForm):
    pass


class RemoveForm(ReasonMixin):
    pass


class SecondFactorRequirementForm(forms.Form):
    required = forms.BooleanField(
        label=_("Every user of this company must sign in with a second factor"),
        required=False,
        help_text=_(
            "A code from an authenticator app after the password. Users who have not set one "
            "up are asked to before their next page; an administrator can reset a lost one."
        ),
    )


class InvitationForm(OnceFormMixin, forms.Form):
    email = AddressField()
    role = forms.ChoiceField(choices=MembershipRole.choices, initial=MembershipRole.USER)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(max_length=150)
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, email="", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "The two passwords differ.")
        elif one:
            try:
                validate_password(one, User(email=self.email, full_name=data.get("full_name", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class MoveForm(forms.Form):
    """The decision form for one enrollment move: a reason, and what the move needs."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP)

    def __init__(self, *args, move: str, **kwargs):
        super().__init__(*args, **kwargs)
        if move == Move.VALIDATE:
            self.fields["tier"] = forms.TypedChoiceField(
                choices=[(2, "Tier 2"), (3, "Tier 3: exceeds the criteria")], coerce=int
            )
            self.fields["on"] = DateField(label="Validated on", widget=DATE)
        elif move in (Move.CERTIFY, Move.ACCEPT):
            self.fields["on"] = DateField(label="Decided on", widget=DATE, required=False)
        elif move == Move.SUSPEND:
            self.fields["cause"] = forms.ChoiceField(
                label=_("Cause"), choices=SuspensionCause.choices, widget=forms.RadioSelect
            )
            self.fields["cause_text"] = forms.CharField(
                label=_("The other cause"),
                required=False,
                help_text=_("Required when the cause is “Other”."),
            )
            self.fields["letter_on"] = DateField(
                label="Date of the suspension letter",
                widget=DATE,
                help_text=_(
                    "The partner answers with a corrective action plan, due a set number of "
                    "days after this date (a program rule)."
                ),
            )

    def clean(self):
        data = super().clean()
        if (
            data.get("cause") == SuspensionCause.OTHER
            and not (data.get("cause_text") or "").strip()
        ):
            self.add_error("cause_text", _("Say what the other cause is."))
        return data


class ReapplyForm(forms.Form):
    """A new Security application from a partner whose last attempt is closed."""

    applied_on = DateField(label=_("Application received on"), widget=DATE, required=False)
    reason = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP
    )


class CorrectiveActionPlanForm(forms.Form):
    summary = forms.CharField(
        label=_("What went wrong and what the company changes"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CorrectiveActionForm(forms.Form):
    objective = forms.CharField(label=_("Objective"), max_length=300)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = DateField(label=_("Due date"), widget=DATE)
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Evidence note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What shows it is done. Upload the documents themselves on the partner page, "
            "under the plan, once the plan is saved."
        ),
    )


class CorrectiveActionEvidenceForm(UploadFormMixin, OnceFormMixin, forms.Form):
    """Documents showing one objective of a corrective action plan done."""

    file = MultipleFileField(
        label=_("Evidence documents"),
        help_text=format_lazy(
            _("One or more {kinds} files, judged by their content."), kinds=ACCEPTED_LABEL
        ),
    )


CorrectiveActionFormSet = formset_factory(CorrectiveActionForm, extra=3, max_num=20)


class PlanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the plan")), ("return", _("Return it for changes"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why the decision should change"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Give the facts CBP should weigh; a supervisor decides."),
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("upheld", _("Uphold the appeal")), ("denied", _("Deny the appeal"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP
    )


class TradeComplianceApplyForm(forms.Form):
    """The eligibility questionnaire; every answer must be yes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, text in ELIGIBILITY_QUESTIONS:
            self.fields[code] = forms.TypedChoiceField(
                label=text,
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
            )
        self.fields["reason"] = forms.CharField(
            label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    def answers(self) -> dict[str, bool]:
        return {code: self.cleaned_data[code] for code, _ in ELIGIBILITY_QUESTIONS}


class ProfileReviewForm(forms.Form):
    due_on = DateField(widget=forms.HiddenInput)
    statement = forms.CharField(
        label="What changed in your security profile this year",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Describe changes to sites, business partners, procedures or people; "
        "if nothing changed, say so.",
    )


class NotificationLetterForm(forms.Form):
    due_on = DateField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I confirm, as company officer, that the company still meets every Trade "
        "Compliance requirement."
    )
    attestation = forms.CharField(
        label="Statement", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


PartnerImportForm = CsvUploadForm  # the shared upload step
