"""The question form editor: posted form fields ↔ the native question dict, with checks.

A trainer edits a question through a form whose shape is an *editor model* of plain strings
(what the inputs hold). `read_form` turns posted fields into that model, `build_question`
turns the model into a native question with field-level messages in the user's language
("选项 3：请填写文字"), and `editor_model` fills the form from a stored question.

A question the form cannot show faithfully (a numerical "any other answer", cloze blanks
with per-answer feedback…) is detected by `form_can_edit`: saving its form would lose
something, so the editor offers only the advanced source for it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _

from trainer.quizzes.question_types import question_types
from trainer.quizzes.question_types.cloze import blank_numbers
from trainer.quizzes.questions import (
    COMMON_FIELDS,
    MAX_TAG,
    canonical,
    normalise_question,
    validate_question,
)

Fields = Mapping[str, list[str]]  # request.form.to_dict(flat=False)

ROW_FIELDS = {
    "choices": ("text", "grade", "feedback"),
    "answers": ("text", "grade", "feedback"),
    "numbers": ("value", "tolerance", "grade", "feedback"),
    "units": ("name", "multiplier"),
    "pairs": ("left", "right"),
    "blanks": ("kind", "correct", "wrong", "tolerance", "weight"),
}
ROW_PREFIX = {
    "choices": "choice",
    "answers": "answer",
    "numbers": "number",
    "units": "unit",
    "pairs": "pair",
    "blanks": "blank",
}
# The question's own fields (every type, less the key the URL names) and the type-specific
# single values the form posts.
SCALARS = (
    *(name for name in COMMON_FIELDS if name != "key"),
    "tf_answer",
    "feedback_true",
    "feedback_false",
    "unit_grading",
    "rubric",
    "option",
)
# Payload keys the form owns, per type; any other payload key (files, penalty…) is kept.
OWNED = {
    "single_choice": ("choices",),
    "multiple_choice": ("choices",),
    "true_false": ("answer", "feedback_true", "feedback_false"),
    "short_answer": ("answers", "case_sensitive"),
    "numerical": ("answers", "units", "unit_grading"),
    "matching": ("pairs", "distractors"),
    "ordering": ("items",),
    "cloze": ("blanks",),
    "essay": ("rubric",),
}
SEPARATOR = "|"


@dataclass(frozen=True)
class FieldError:
    """A problem with one form field: `field` is the input's name (or row, "choices-3")."""

    field: str
    message: str


@dataclass
class Built:
    question: dict | None
    errors: list[FieldError] = field(default_factory=list)

    def messages_for(self, name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == name]


# ---- form fields ↔ model ----------------------------------------------------------------


def _one(fields: Fields, name: str) -> str:
    values = fields.get(name) or [""]
    return str(values[0]).strip()


def _rows(fields: Fields, group: str) -> list[dict]:
    prefix, names = ROW_PREFIX[group], ROW_FIELDS[group]
    columns = {n: [str(v) for v in fields.get(f"{prefix}-{n}", [])] for n in names}
    count = max((len(c) for c in columns.values()), default=0)
    rows = [
        {n: (columns[n][i] if i < len(columns[n]) else "").strip() for n in names}
        for i in range(count)
    ]
    # a row the trainer added and left blank is not a choice
    return [r for r in rows if any(v for k, v in r.items() if k not in ("grade", "kind"))]


def read_form(fields: Fields) -> dict:
    """The editor model of posted fields (every value a string, rows as lists of dicts)."""
    model: dict = {name: _one(fields, name) for name in SCALARS}
    model["text"] = (fields.get("text") or [""])[0]
    model.update({group: _rows(fields, group) for group in ROW_FIELDS})
    model["items"] = [v.strip() for v in fields.get("item", []) if v.strip()]
    model["distractors"] = [v.strip() for v in fields.get("distractor", []) if v.strip()]
    model["case_sensitive"] = bool(_one(fields, "case_sensitive"))
    return model


def _number_text(value) -> str:
    if value is None or value == "":
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _percent(fraction) -> str:
    return _number_text(round(float(fraction) * 100, 5))


def editor_model(native: dict) -> dict:
    """The form's model of a stored question (see `questions.as_native`)."""
    model = {name: "" for name in SCALARS}
    model.update({group: [] for group in ROW_FIELDS}, items=[], distractors=[])
    model.update(
        type=native["type"],
        title=native.get("title") or "",
        text=native.get("text") or "",
        format=native.get("format") or "plain",
        category=native.get("category") or "",
        usage=native.get("usage") or "both",
        tags=", ".join(native.get("tags") or []),
        points=_number_text(native.get("points", 1)),
        link=native.get("link") or "",
        general_feedback=native.get("general_feedback") or "",
        case_sensitive=bool(native.get("case_sensitive")),
    )
    qtype = native["type"]
    if qtype in ("single_choice", "multiple_choice"):
        model["choices"] = [
            {
                "text": c.get("text", ""),
                "grade": _percent(c.get("fraction", 0)),
                "feedback": c.get("feedback") or "",
            }
            for c in native.get("choices") or []
        ]
    elif qtype == "true_false":
        model["tf_answer"] = "true" if native.get("answer") else "false"
        model["feedback_true"] = native.get("feedback_true") or ""
        model["feedback_false"] = native.get("feedback_false") or ""
    elif qtype == "short_answer":
        model["answers"] = [
            {
                "text": a.get("text", ""),
                "grade": _percent(a.get("fraction", 1)),
                "feedback": a.get("feedback") or "",
            }
            for a in native.get("answers") or []
        ]
    elif qtype == "numerical":
        model["numbers"] = [_number_row(a) for a in native.get("answers") or []]
        model["units"] = [
            {"name": u.get("name", ""), "multiplier": _number_text(u.get("multiplier", 1))}
            for u in native.get("units") or []
        ]
        model["unit_grading"] = str(native.get("unit_grading", 0))
    elif qtype == "matching":
        model["pairs"] = [
            {"left": p.get("left", ""), "right": p.get("right", "")}
            for p in native.get("pairs") or []
        ]
        model["distractors"] = list(native.get("distractors") or [])
    elif qtype == "ordering":
        model["items"] = list(native.get("items") or [])
    elif qtype == "cloze":
        model["blanks"] = [_blank_row(b) for b in native.get("blanks") or []]
    elif qtype == "essay":
        model["rubric"] = native.get("rubric") or ""
    else:
        model["option"] = editor_option_of(qtype, native)
    return model


def _number_row(answer: dict) -> dict:
    if "min" in answer and "max" in answer:
        value = (answer["min"] + answer["max"]) / 2
        tolerance = (answer["max"] - answer["min"]) / 2
    else:
        value, tolerance = answer.get("value"), answer.get("tolerance", 0)
    return {
        "value": _number_text(value),
        "tolerance": _number_text(tolerance),
        "grade": _percent(answer.get("fraction", 1)),
        "feedback": answer.get("feedback") or "",
    }


def _blank_row(blank: dict) -> dict:
    answers = blank.get("answers") or []
    weight = _number_text(blank.get("weight", 1))
    if blank.get("numerical"):
        first = answers[0] if answers else {}
        return {
            "kind": "numerical",
            "correct": _number_text(first.get("value")),
            "wrong": "",
            "tolerance": _number_text(first.get("tolerance", 0)),
            "weight": weight,
        }
    right = [str(a.get("text", "")) for a in answers if float(a.get("fraction", 1)) == 1]
    wrong = [str(a.get("text", "")) for a in answers if float(a.get("fraction", 1)) != 1]
    return {
        "kind": "dropdown" if blank.get("dropdown") else "text",
        "correct": f" {SEPARATOR} ".join(right),
        "wrong": f" {SEPARATOR} ".join(wrong),
        "tolerance": "",
        "weight": weight,
    }


# ---- the model → a native question, with checks ----------------------------------------


def _err(errors: list, name: str, label: str, problem: str) -> None:
    errors.append(FieldError(name, _("%(field)s: %(problem)s", field=label, problem=problem)))


def _number(text: str) -> float | None:
    try:
        return float(text.replace("，", ".").replace("％", "").replace("%", "").strip())
    except ValueError:
        return None


def _grade(errors, name, label, text: str, default: float) -> float:
    if not text:
        return default
    value = _number(text)
    if value is None or not -100 <= value <= 100:
        _err(errors, name, label, _("enter a percentage between -100 and 100"))
        return default
    return value / 100


def _common(model: dict, errors: list) -> dict:
    if not model["text"].strip():
        _err(errors, "text", _("Question text"), _("write the question"))
    if not model["category"].strip():
        _err(errors, "category", _("Category"), _("every question needs a category"))
    points = _number(model["points"] or "1")
    if points is None or points <= 0:
        _err(errors, "points", _("Points"), _("must be a positive number"))
    tags = [t.strip() for t in model["tags"].replace("，", ",").split(",") if t.strip()]
    if any(len(t) > MAX_TAG for t in tags):
        _err(errors, "tags", _("Tags"), _("a tag has at most %(n)d characters", n=MAX_TAG))
    link = model["link"].strip()
    if link and "." not in link:
        _err(errors, "link", _("Linked step"), _("choose a procedure step or page from the list"))
    if model["usage"] not in ("practice", "exam", "both"):
        model["usage"] = "both"
    return {
        "type": model["type"],
        "title": model["title"].strip(),
        "text": model["text"],
        "format": model["format"] if model["format"] in ("plain", "markdown", "html") else "plain",
        "category": model["category"].strip().strip("/"),
        "usage": model["usage"],
        "tags": tags,
        "points": points if points and points > 0 else 1,
        "link": link or None,
        "general_feedback": model["general_feedback"].strip(),
    }


def _choices(model: dict, errors: list, single: bool) -> dict:
    rows = model["choices"]
    if len(rows) < 2:
        _err(errors, "choices", _("Choices"), _("at least %(n)d are needed", n=2))
    choices = []
    for n, row in enumerate(rows, 1):
        label = _("Choice %(n)d", n=n)
        if not row["text"]:
            _err(errors, f"choices-{n}", label, _("write the text"))
        fraction = _grade(errors, f"choices-{n}", label, row["grade"], 0.0)
        choices.append({"text": row["text"], "fraction": fraction, "feedback": row["feedback"]})
    if errors or len(rows) < 2:
        return {"choices": choices}
    grades = [c["fraction"] for c in choices]
    if single and max(grades) != 1:
        _err(errors, "choices", _("Choices"), _("exactly one choice must be worth 100%"))
    if not single:
        total = sum(g for g in grades if g > 0)
        if abs(total - 1) > 0.011:
            last = max(n for n, g in enumerate(grades, 1) if g > 0) if total else len(rows)
            _err(
                errors,
                f"choices-{last}",
                _("Choice %(n)d", n=last),
                _(
                    "the positive grades must add up to 100%% (now %(sum)s%%)",
                    sum=_number_text(round(total * 100, 2)),
                ),
            )
    return {"choices": choices}


def _true_false(model: dict, errors: list) -> dict:
    if model["tf_answer"] not in ("true", "false"):
        _err(errors, "tf_answer", _("Correct answer"), _("choose true or false"))
    return {
        "answer": model["tf_answer"] == "true",
        "feedback_true": model["feedback_true"],
        "feedback_false": model["feedback_false"],
    }


def _short_answer(model: dict, errors: list) -> dict:
    rows = model["answers"]
    if not rows:
        _err(errors, "answers", _("Accepted answers"), _("at least %(n)d are needed", n=1))
    answers = []
    for n, row in enumerate(rows, 1):
        label = _("Answer %(n)d", n=n)
        if not row["text"]:
            _err(errors, f"answers-{n}", label, _("write the text"))
        fraction = _grade(errors, f"answers-{n}", label, row["grade"], 1.0)
        answers.append({"text": row["text"], "fraction": fraction, "feedback": row["feedback"]})
    if answers and not errors and max(a["fraction"] for a in answers) <= 0:
        _err(errors, "answers", _("Accepted answers"), _("one answer must give credit"))
    return {"answers": answers, "case_sensitive": model["case_sensitive"]}


def _numerical(model: dict, errors: list) -> dict:
    rows = model["numbers"]
    if not rows:
        _err(errors, "numbers", _("Accepted numbers"), _("at least %(n)d are needed", n=1))
    answers = []
    for n, row in enumerate(rows, 1):
        label = _("Answer %(n)d", n=n)
        value = _number(row["value"])
        tolerance = _number(row["tolerance"] or "0")
        if value is None:
            _err(errors, f"numbers-{n}", label, _("enter a number"))
        if tolerance is None:
            _err(errors, f"numbers-{n}", label, _("the tolerance must be a number"))
        elif tolerance < 0:
            _err(errors, f"numbers-{n}", label, _("the tolerance cannot be negative"))
        fraction = _grade(errors, f"numbers-{n}", label, row["grade"], 1.0)
        answers.append(
            {
                "value": value,
                "tolerance": tolerance,
                "fraction": fraction,
                "feedback": row["feedback"],
            }
        )
    units = []
    for n, row in enumerate(model["units"], 1):
        multiplier = _number(row["multiplier"] or "1")
        if not row["name"] or not multiplier:
            _err(
                errors,
                f"units-{n}",
                _("Unit %(n)d", n=n),
                _("a unit needs a name and a non-zero multiplier"),
            )
        units.append({"name": row["name"], "multiplier": multiplier or 1})
    grading = int(model["unit_grading"]) if model["unit_grading"] in ("0", "1", "2") else 0
    return {"answers": answers, "units": units} | ({"unit_grading": grading} if units else {})


def _matching(model: dict, errors: list) -> dict:
    rows = model["pairs"]
    if len(rows) < 2:
        _err(errors, "pairs", _("Pairs"), _("at least %(n)d are needed", n=2))
    for n, row in enumerate(rows, 1):
        if not row["left"] or not row["right"]:
            _err(errors, f"pairs-{n}", _("Pair %(n)d", n=n), _("fill in both sides"))
    return {
        "pairs": [{"left": r["left"], "right": r["right"]} for r in rows],
        "distractors": model["distractors"],
    }


def _ordering(model: dict, errors: list) -> dict:
    items = model["items"]
    if len(items) < 2:
        _err(errors, "items", _("Items"), _("at least %(n)d are needed", n=2))
    elif len(set(items)) != len(items):
        _err(errors, "items", _("Items"), _("every item must differ from the others"))
    return {"items": items}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("｜", SEPARATOR).split(SEPARATOR) if part.strip()]


def _cloze(model: dict, errors: list, text: str) -> dict:
    from_text = sorted(set(blank_numbers(text)))
    rows = model["blanks"]
    if not from_text:
        _err(
            errors, "text", _("Question text"), _("the text has no gap: mark each gap as {1}, {2}…")
        )
    elif from_text != list(range(1, len(rows) + 1)):
        _err(
            errors,
            "blanks",
            _("Gaps"),
            _(
                "the text marks %(marked)d gaps; define exactly one answer row for each",
                marked=len(from_text),
            ),
        )
    blanks = []
    for n, row in enumerate(rows, 1):
        label = _("Gap %(n)d", n=n)
        weight = _number(row["weight"] or "1")
        if weight is None or weight <= 0:
            _err(errors, f"blanks-{n}", label, _("the weight must be a positive number"))
            weight = 1
        blank: dict = {"weight": weight} if weight != 1 else {}
        if row["kind"] == "numerical":
            value, tolerance = _number(row["correct"]), _number(row["tolerance"] or "0")
            if value is None:
                _err(errors, f"blanks-{n}", label, _("enter a number"))
            elif tolerance is None or tolerance < 0:
                _err(errors, f"blanks-{n}", label, _("the tolerance cannot be negative"))
            blank |= {
                "numerical": True,
                "dropdown": False,
                "answers": [{"value": value, "tolerance": tolerance, "fraction": 1}],
            }
        else:
            right, wrong = _split(row["correct"]), _split(row["wrong"])
            if not right:
                _err(errors, f"blanks-{n}", label, _("give at least one accepted answer"))
            if row["kind"] == "dropdown" and not wrong:
                _err(errors, f"blanks-{n}", label, _("a drop-down needs at least one wrong option"))
            blank |= {
                "dropdown": row["kind"] == "dropdown",
                "answers": [{"text": t, "fraction": 1} for t in right]
                + (
                    [{"text": t, "fraction": 0} for t in wrong] if row["kind"] == "dropdown" else []
                ),
            }
        blanks.append(blank)
    return {"blanks": blanks}


def _essay(model: dict, errors: list) -> dict:
    return {"rubric": model["rubric"].strip()}


def editor_options(qtype: str) -> list[tuple[str, str]]:
    """The choices a registered type offers the form (the role-play type: its reply turns)."""
    kind = question_types().get(qtype)
    return list(kind.editor_options()) if kind and hasattr(kind, "editor_options") else []


def editor_option_of(qtype: str, native: dict) -> str:
    kind = question_types().get(qtype)
    return kind.editor_option_of(native) if kind and hasattr(kind, "editor_option_of") else ""


def _option_type(model: dict, errors: list) -> dict:
    kind = question_types().get(model["type"])
    values = {value for value, _label in editor_options(model["type"])}
    if not hasattr(kind, "payload_for_option") or model["option"] not in values:
        _err(errors, "option", _("Role-play turn"), _("choose one from the list"))
        return {}
    return kind.payload_for_option(model["option"])


def editable_types() -> list[str]:
    """Types the form can edit: the built-in ones and those offering editor options."""
    return [n for n, k in question_types().items() if n in OWNED or hasattr(k, "editor_options")]


def build_question(model: dict, base: dict | None = None) -> Built:
    """A native question from the editor model; `base` is the stored one when editing, whose
    payload keys the form does not own (files, penalty, Moodle extras) are kept."""
    errors: list[FieldError] = []
    qtype = model["type"]
    if qtype not in editable_types():
        _err(errors, "type", _("Type"), _("choose a question type"))
        return Built(None, errors)
    question = _common(model, errors)
    if qtype in ("single_choice", "multiple_choice"):
        payload = _choices(model, errors, single=qtype == "single_choice")
    elif qtype in OWNED:
        handler = {
            "true_false": _true_false,
            "short_answer": _short_answer,
            "numerical": _numerical,
            "matching": _matching,
            "ordering": _ordering,
            "essay": _essay,
        }.get(qtype)
        payload = handler(model, errors) if handler else _cloze(model, errors, model["text"])
    else:
        payload = _option_type(model, errors)
    kept = {}
    if base is not None and base.get("type") == qtype:
        owned = set(OWNED.get(qtype, ())) | {"scenario", "turn"}
        kept = {
            k: v
            for k, v in base.items()
            if k not in question and k not in owned and k not in ("key", "usage", "tags")
        }
    if base is not None:
        question["key"] = base["key"]
    native = normalise_question({**kept, **question, **payload})
    if errors:
        return Built(None, errors)
    errors += [FieldError("source", problem) for problem in validate_question(native)]
    return Built(None if errors else native, errors)


def form_can_edit(native: dict) -> bool:
    """Whether the form shows everything of `native`: saving it unchanged changes nothing."""
    if native["type"] not in editable_types():
        return False
    built = build_question(editor_model(native), base=native)
    return built.question is not None and canonical(built.question) == canonical(
        normalise_question(native)
    )
