"""The one base of every business-rule error: its message is safe to show and translatable.

Services raise `SomeFeatureError(_l("employee number %(number)s already exists"), number=n)`;
the message is rendered in the reader's language when shown (a flash, a CLI line, a JSON
error), with its parameters filled in then.
"""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A rule of the domain was broken; the message is meant for the user."""

    default_message = _l("This cannot be done.")

    def __init__(self, message=None, /, **params) -> None:
        self.template = message if message is not None else self.default_message
        self.params = params
        super().__init__(self.template, params)

    @property
    def message(self) -> str:
        text = str(self.template)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message
