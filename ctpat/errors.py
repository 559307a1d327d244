class DomainError(Exception):
    """A rule of the program refused the request; the message is shown to the person as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
