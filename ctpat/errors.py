class DomainError(Exception):
    """A rule of the program refused the request; the message is shown to the person as is.

    `field` names the input the rule is about (a form field of that name shows the message
    beside it); None means the request as a whole.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def add_to_form(form, error: DomainError) -> None:
    """Show a refusal on the form: beside its field when the form has it, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
