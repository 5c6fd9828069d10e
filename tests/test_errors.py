"""DomainError: the message is translated when shown, with its parameters filled in then."""

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from trainer.errors import DomainError


def test_message_fills_parameters_in_english(app):
    error = DomainError(_l("unknown hall %(code)s"), code="YT-999")
    assert str(error) == "unknown hall YT-999"


@pytest.mark.locale("zh_CN")
def test_message_is_translated_when_shown(app):
    error = DomainError(_l("This cannot be done."))
    with app.test_request_context(), force_locale("zh_CN"):
        assert str(error) == "无法完成此操作。"


def test_subclasses_have_a_default_message(app):
    class Refused(DomainError):
        pass

    assert str(Refused()) == "This cannot be done."
