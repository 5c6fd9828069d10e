"""Native questions → GIFT. `parse_gift(to_gift(qs))` gives back the same questions."""

from trainer.quizzes.gift import ESCAPABLE


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for char in ESCAPABLE:
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def weight(fraction: float, default: float) -> str:
    return "" if fraction == default else f"%{number(round(fraction * 100, 5))}%"


def feedback(text: str | None) -> str:
    return f"#{escape(text)}" if text else ""


def answer_list(entries: list[dict], marker_for) -> str:
    parts = []
    for entry in entries:
        marker, default = marker_for(entry)
        parts.append(
            f"{marker}{weight(entry.get('fraction', 0), default)}{escape(entry['text'])}"
            f"{feedback(entry.get('feedback'))}"
        )
    return " ".join(parts)


def choices_block(question: dict) -> str:
    if question["type"] == "single_choice":
        return answer_list(
            question["choices"], lambda c: ("=", 1) if c.get("fraction", 0) == 1 else ("~", 0)
        )
    return answer_list(question["choices"], lambda c: ("~", 0))


def numeric(answer: dict) -> str:
    if "min" in answer:
        return f"{number(answer['min'])}..{number(answer['max'])}"
    return f"{number(answer['value'])}:{number(answer.get('tolerance', 0))}"


def answer_block(question: dict) -> str:
    qtype = question["type"]
    if qtype in ("single_choice", "multiple_choice"):
        body = choices_block(question)
    elif qtype == "short_answer":
        body = answer_list(question["answers"], lambda a: ("=", 1))
    elif qtype == "true_false":
        right, wrong = (
            (question.get("feedback_true"), question.get("feedback_false"))
            if question["answer"]
            else (question.get("feedback_false"), question.get("feedback_true"))
        )
        body = "TRUE" if question["answer"] else "FALSE"
        if right or wrong:
            body += f"#{escape(wrong or '')}#{escape(right or '')}"
    elif qtype == "numerical":
        body = "#" + " ".join(
            f"={weight(a.get('fraction', 1), 1)}{numeric(a)}{feedback(a.get('feedback'))}"
            for a in question["answers"]
        )
    elif qtype == "matching":
        pairs = [f"={escape(p['left'])} -> {escape(p['right'])}" for p in question["pairs"]]
        pairs += [f"= -> {escape(d)}" for d in question.get("distractors", [])]
        body = " ".join(pairs)
    elif qtype == "ordering":
        body = " ".join(f"={n} -> {escape(item)}" for n, item in enumerate(question["items"], 1))
    elif qtype == "essay":
        body = ""
    else:
        raise ValueError(f"GIFT cannot express {qtype} questions")
    general = question.get("general_feedback")
    return "{" + body + (f" ####{escape(general)}" if general else "") + "}"


def cloze_text(question: dict) -> str:
    text = escape(question["text"])
    general = question.get("general_feedback")
    for n, blank in enumerate(question["blanks"], 1):
        if blank.get("dropdown"):
            body = answer_list(
                blank["answers"], lambda a: ("=", 1) if a.get("fraction", 0) == 1 else ("~", 0)
            )
        else:
            body = answer_list(blank["answers"], lambda a: ("=", 1))
        if general and n == len(question["blanks"]):
            body += f" ####{escape(general)}"
        text = text.replace(f"\\{{{n}\\}}", "{" + body + "}", 1)
    return text


def question_to_gift(question: dict) -> str:
    lines = [f"// @key {question['key']}"]
    if question.get("link"):
        lines.append(f"// @link {question['link']}")
    if question.get("points", 1) != 1:
        lines.append(f"// @points {number(question['points'])}")
    if question["type"] in ("ordering", "cloze"):
        lines.append(f"// @type {question['type']}")
    if question["type"] == "essay" and question.get("rubric"):
        lines.append(f"// @rubric {escape(question['rubric'])}")
    head = f"::{escape(question['title'])}::" if question.get("title") else ""
    if question.get("format", "plain") != "plain":
        head += f"[{question['format']}]"
    if question["type"] == "cloze":
        lines.append(head + cloze_text(question))
    else:
        lines.append(f"{head}{escape(question['text'])} {answer_block(question)}")
    return "\n".join(lines)


def to_gift(questions: list[dict]) -> str:
    out, category = [], None
    for question in questions:
        if question.get("category") != category:
            category = question.get("category")
            out.append(f"$CATEGORY: {category}")
        out.append(question_to_gift(question))
    return "\n\n".join(out) + "\n"
