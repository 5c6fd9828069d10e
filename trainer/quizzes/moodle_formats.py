"""What Moodle XML and this product call the same things: text formats, default names,
default penalties, and the Moodle-only settings kept (in a question's `moodle` payload) only
so that an export gives Moodle back what it sent."""

import re

FORMAT_IN = {
    "moodle_auto_format": "moodle",
    "html": "html",
    "plain_text": "plain",
    "markdown": "markdown",
    "wiki_like": "moodle",
}
FORMAT_OUT = {
    "moodle": "moodle_auto_format",
    "html": "html",
    "plain": "plain_text",
    "markdown": "markdown",
}
DEFAULT_PENALTY = {"true_false": 1.0, "essay": 0.0}
MOODLE_PENALTY = 0.3333333
_TAGS = re.compile(r"<[^>]*>")


def format_in(value: str | None, default: str = "html") -> str:
    """Moodle's importer reads an unknown format name as html."""
    return FORMAT_IN.get((value or "").strip(), "html") if value else default


def default_penalty(question_type: str) -> float:
    return DEFAULT_PENALTY.get(question_type, MOODLE_PENALTY)


def default_name(text: str) -> str:
    """The name a question without a title gets in Moodle XML (Moodle requires one); read
    back, a name equal to it means "no title"."""
    plain = " ".join(_TAGS.sub(" ", text or "").split())
    return plain if len(plain) <= 60 else plain[:59] + "…"


# Moodle-only settings per question type: element → value meaning "unset" (not stored).
SETTINGS = {
    "single_choice": {
        "shuffleanswers": "true",
        "answernumbering": "abc",
        "showstandardinstruction": "0",
    },
    "matching": {"shuffleanswers": "true"},
    "ordering": {
        "layouttype": "VERTICAL",
        "selecttype": "ALL",
        "selectcount": "0",
        "gradingtype": "ABSOLUTE_POSITION",
        "showgrading": "SHOW",
        "numberingstyle": "none",
    },
    "essay": {
        "responseformat": "editor",
        "responserequired": "1",
        "responsefieldlines": "15",
        "minwordlimit": "",
        "maxwordlimit": "",
        "attachments": "0",
        "attachmentsrequired": "0",
        "maxbytes": "0",
        "filetypeslist": "",
    },
}
SETTINGS["multiple_choice"] = SETTINGS["single_choice"]
COMBINED_FEEDBACK = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
WITH_COMBINED_FEEDBACK = ("single_choice", "multiple_choice", "matching", "ordering")
