"""A DomainError names the input it is about; the form shows it beside that field."""

from django import forms

from ctpat.errors import DomainError, add_to_form


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False)


def test_the_error_goes_beside_the_field_it_names():
    form = ReasonForm({"reason": ""})
    assert form.is_valid()
    add_to_form(form, DomainError("Say why.", field="reason"))
    assert form.errors == {"reason": ["Say why."]}


def test_an_error_about_the_whole_request_or_a_field_the_form_lacks_goes_above_the_form():
    for error in (DomainError("Not now."), DomainError("Not now.", field="letter_on")):
        form = ReasonForm({"reason": ""})
        assert form.is_valid()
        add_to_form(form, error)
        assert form.non_field_errors() == ["Not now."]
