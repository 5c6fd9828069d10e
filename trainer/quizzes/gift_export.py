"""Native questions → GIFT as Moodle writes it; `read_gift(to_gift(qs))` gives them back.

Moodle reads the result: `// [id:key] [tag:…]` comments, `::title::`, format tags on
answers and feedback whose format differs from the question's, `~#feedback` for numerical
"any other answer". What GIFT cannot say travels in comments Moodle ignores: `// @link`,
`// @points`, `// @usage`, `// @rubric`, `// @type`, and `// @fields {json}` for anything
else (units, penalty, case sensitivity, blank weights…), found by reading each written
question back and comparing meanings, so an export imports back without a new version.
"""

import json

from flask_babel import lazy_gettext as _l

from trainer.errors import DomainError
from trainer.quizzes.gift import DEFAULT_FORMAT, read_gift
from trainer.quizzes.gift_lexer import ESCAPABLE
from trainer.quizzes.questions import (
    COMMON_FIELDS,
    BankImportError,
    canonical,
    normalise_question,
)

NOT_COMPARED = ("key", "type", "category")


class GiftExportError(DomainError, ValueError):
    default_message = _l("This question cannot be written as GIFT.")


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for char in ESCAPABLE:
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def weight(fraction: float, default: float) -> str:
    return "" if fraction == default else f"%{number(round(fraction * 100, 5))}%"


def tagged(text: str, own_format: str | None, question_format: str) -> str:
    """Escaped text, with Moodle's [format] tag when it differs from the question's."""
    tag = f"[{own_format}]" if own_format and own_format != question_format else ""
    return tag + escape(text)


def feedback(entry: dict, question_format: str, key: str = "feedback") -> str:
    text = entry.get(key)
    return f"#{tagged(text, entry.get(key + '_format'), question_format)}" if text else ""


def choices_body(choices: list[dict], single: bool, question_format: str) -> str:
    parts = []
    for choice in choices:
        fraction = choice.get("fraction", 0)
        marker = "=" if single and fraction == 1 else "~" + weight(fraction, 0)
        parts.append(
            marker
            + tagged(choice["text"], choice.get("format"), question_format)
            + feedback(choice, question_format)
        )
    return " ".join(parts)


def short_answers_body(answers: list[dict], question_format: str) -> str:
    return " ".join(
        f"={weight(a.get('fraction', 1), 1)}{escape(a['text'])}{feedback(a, question_format)}"
        for a in answers
    )


def numeric(answer: dict) -> str:
    if "min" in answer:
        return f"{number(answer['min'])}..{number(answer['max'])}"
    return f"{number(answer['value'])}:{number(answer.get('tolerance', 0))}"


def numerical_body(answers: list[dict], question_format: str) -> str:
    """`=` answers, then Moodle's `~#feedback` "any other answer" (it must come last)."""
    parts = [
        f"={weight(a.get('fraction', 1), 1)}{numeric(a)}{feedback(a, question_format)}"
        for a in answers
        if not a.get("other")
    ]
    parts += [
        f"~{weight(a.get('fraction', 0), 0)}{feedback(a, question_format) or '#'}"
        for a in answers
        if a.get("other")
    ]
    return "#" + " ".join(parts)


def true_false_body(question: dict, question_format: str) -> str:
    answer = question["answer"]
    right_key, wrong_key = (
        ("feedback_true", "feedback_false") if answer else ("feedback_false", "feedback_true")
    )
    right, wrong = (
        feedback(question, question_format, right_key),
        feedback(question, question_format, wrong_key),
    )
    body = "TRUE" if answer else "FALSE"
    if right or wrong:
        body += (wrong or "#") + right
    return body


def answer_block(question: dict) -> str:
    qtype, fmt = question["type"], question.get("format", "plain")
    if qtype in ("single_choice", "multiple_choice"):
        body = choices_body(question["choices"], qtype == "single_choice", fmt)
    elif qtype == "short_answer":
        body = short_answers_body(question["answers"], fmt)
    elif qtype == "true_false":
        body = true_false_body(question, fmt)
    elif qtype == "numerical":
        body = numerical_body(question["answers"], fmt)
    elif qtype == "matching":
        pairs = [
            f"={tagged(p['left'], p.get('format'), fmt)} -> {escape(p['right'])}"
            for p in question["pairs"]
        ]
        body = " ".join(pairs + [f"= -> {escape(d)}" for d in question.get("distractors", [])])
    elif qtype == "ordering":
        body = " ".join(f"={n} -> {escape(item)}" for n, item in enumerate(question["items"], 1))
    elif qtype == "essay":
        body = ""
    else:
        raise GiftExportError(
            _l("question %(key)s: %(type)s questions cannot be written as GIFT"),
            key=question["key"],
            type=qtype,
        )
    return "{" + body + general_feedback(question) + "}"


def general_feedback(question: dict) -> str:
    text = question.get("general_feedback")
    if not text:
        return ""
    own = question.get("general_feedback_format")
    return " ####" + tagged(text, own, question.get("format", "plain"))


def blank_body(blank: dict) -> str:
    if blank.get("numerical"):
        return numerical_body(blank["answers"], "plain")
    if blank.get("dropdown") or blank.get("multiple"):
        return choices_body(blank["answers"], not blank.get("multiple"), "plain")
    return short_answers_body(blank["answers"], "plain")


def cloze_text(question: dict) -> str:
    text = escape(question["text"])
    for n, blank in enumerate(question["blanks"], 1):
        body = blank_body(blank)
        if n == len(question["blanks"]):
            body += general_feedback(question)
        text = text.replace(f"\\{{{n}\\}}", "{" + body + "}", 1)
    return text


def bracketed(text: str) -> str:
    return text.replace("]", "\\]")


def comment_lines(question: dict) -> list[str]:
    ids = [f"[id:{bracketed(question['key'])}]"]
    ids += [f"[tag:{bracketed(tag)}]" for tag in question.get("tags") or []]
    lines = ["// " + " ".join(ids)]
    if question.get("link"):
        lines.append(f"// @link {question['link']}")
    if question.get("points", 1) != 1:
        lines.append(f"// @points {number(question['points'])}")
    if question.get("usage", "both") != "both":
        lines.append(f"// @usage {question['usage']}")
    if question["type"] in ("ordering", "cloze"):
        lines.append(f"// @type {question['type']}")
    if question["type"] == "essay" and question.get("rubric"):
        lines.append(f"// @rubric {escape(question['rubric'])}")
    return lines


def body_line(question: dict) -> str:
    head = f"::{escape(question['title'])}::" if question.get("title") else ""
    if question.get("format", "plain") != DEFAULT_FORMAT:
        head += f"[{question.get('format', 'plain')}]"
    if question["type"] == "cloze":
        return head + cloze_text(question)
    return f"{head}{escape(question['text'])} {answer_block(question)}"


def differences(question: dict, lines: list[str]) -> dict:
    """Fields whose meaning the written lines do not give back."""
    try:
        [back] = read_gift("\n".join(lines), default_category=question["category"]).questions
    except (BankImportError, ValueError):
        back = {"type": None}
    if back["type"] != question["type"]:
        return {"type": question["type"]}
    names = (set(question) | set(back)) - set(NOT_COMPARED)
    return {
        name: question.get(name)
        for name in sorted(names)
        if not name.startswith("_")
        and canonical({name: question.get(name)}) != canonical({name: back.get(name)})
    }


def question_to_gift(question: dict) -> str:
    question = normalise_question(dict(question))
    lines = [*comment_lines(question), body_line(question)]
    missing = differences(question, lines)
    if "type" in missing:
        # the block does not read back as this question at all (a blank GIFT would grade
        # differently, say): every field then travels in @fields, read before validation
        missing = {
            k: v for k, v in question.items() if k not in NOT_COMPARED and not k.startswith("_")
        }
    # a field the question lacks cannot be unset from a comment; a common one can be null
    missing = {k: v for k, v in missing.items() if v is not None or k in COMMON_FIELDS}
    if missing:
        fields = json.dumps(missing, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        lines.insert(-1, f"// @fields {fields}")
        if differences(question, lines):
            raise GiftExportError(
                _l("question %(key)s cannot be written as GIFT"), key=question["key"]
            )
    return "\n".join(lines)


def to_gift(questions: list[dict]) -> str:
    out, category = [], None
    for question in questions:
        if question.get("category") != category:
            category = question.get("category")
            out.append(f"$CATEGORY: $course$/top/{category}")
        out.append(question_to_gift(question))
    return "\n\n".join(out) + "\n"
