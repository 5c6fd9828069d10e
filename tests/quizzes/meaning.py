"""What a question means, in the terms Moodle's importers give it, for the interchange corpus.

`meaning(question)` turns a native question into those terms (a one-blank cloze is Moodle's
missing-word question: its blank's type, with _____ in the text); `agrees(expected, actual)`
compares only what a corpus case states, numbers to 1e-6.
"""

BLANK_TYPES = {"numerical": "numerical", "multiple": "multiple_choice", "dropdown": "single_choice"}


def answers_of(entries: list[dict], fmt: str, with_formats: bool = True) -> list[dict]:
    out = []
    for entry in entries:
        item = {
            "text": entry["text"],
            "fraction": entry.get("fraction", 1),
            "feedback": entry.get("feedback", ""),
        }
        if with_formats:
            item["format"] = entry.get("format") or fmt
        if entry.get("feedback"):
            item["feedback_format"] = entry.get("feedback_format") or fmt
        out.append(item)
    return out


def numbers_of(entries: list[dict]) -> list[dict]:
    out = []
    for entry in entries:
        item = {"fraction": entry.get("fraction", 1), "feedback": entry.get("feedback", "")}
        if entry.get("other"):
            item["any"] = True
        elif "min" in entry:
            item.update(low=entry["min"], high=entry["max"])
        else:
            tolerance = abs(entry.get("tolerance", 0))
            item.update(low=entry["value"] - tolerance, high=entry["value"] + tolerance)
        out.append(item)
    return out


def blank_meaning(blank: dict) -> dict:
    kind = next((v for k, v in BLANK_TYPES.items() if blank.get(k)), "short_answer")
    out = {"type": kind, "weight": blank.get("weight", 1)}
    if kind == "numerical":
        out["numbers"] = numbers_of(blank["answers"])
    else:
        out["answers"] = answers_of(blank["answers"], "plain", with_formats=False)
    if blank.get("case_sensitive"):
        out["case_sensitive"] = True
    return out


def meaning(question: dict) -> dict:
    fmt = question["format"]
    out = {
        key: question.get(key)
        for key in ("type", "title", "text", "format", "category", "key", "points")
    }
    out["tags"] = question.get("tags") or []
    out["general_feedback"] = question.get("general_feedback") or ""
    if out["general_feedback"]:
        out["general_feedback_format"] = question.get("general_feedback_format") or fmt
    for key in ("penalty", "case_sensitive", "units", "rubric"):
        if key in question:
            out[key] = question[key]
    out["files"] = sorted(question.get("files") or {})
    kind = question["type"]
    if kind == "cloze" and len(question["blanks"]) == 1:
        blank = blank_meaning(question["blanks"][0])
        out.update(blank, text=question["text"].replace("{1}", "_____"))
        out.pop("weight")
    elif kind == "cloze":
        out["blanks"] = [blank_meaning(b) for b in question["blanks"]]
    elif kind in ("single_choice", "multiple_choice"):
        out["answers"] = answers_of(question["choices"], fmt)
    elif kind == "short_answer":
        out["answers"] = answers_of(question["answers"], fmt, with_formats=False)
    elif kind == "numerical":
        out["numbers"] = numbers_of(question["answers"])
    elif kind == "true_false":
        out["answer"] = question["answer"]
        for side in ("feedback_true", "feedback_false"):
            out[side] = question.get(side) or ""
            if out[side]:
                out[side + "_format"] = question.get(side + "_format") or fmt
    elif kind == "matching":
        out["pairs"] = [
            {"left": p["left"], "right": p["right"], "format": p.get("format") or fmt}
            for p in question["pairs"]
        ]
        out["distractors"] = question.get("distractors") or []
    elif kind == "ordering":
        out["items"] = question["items"]
    return out


def agrees(expected, actual) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and agrees(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(agrees(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return isinstance(actual, int | float) and abs(expected - actual) < 1e-6
    return expected == actual
