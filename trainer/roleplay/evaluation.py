"""Measuring the reply scorer against replies labelled by trainers (JSONL). Pure.

A line: {"scenario", "turn", "text", "elements": {key: bool}, "forbidden": bool,
"verdict": "pass"|"fail"} and optionally "tags" (e.g. "lookalike" for a good reply that
only looks like it holds a forbidden phrase). `evaluate` compares such labels with what
the scorer said (the `trainer scenarios score` object of each reply).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

REQUIRED_FIELDS = ("scenario", "turn", "text", "elements", "forbidden", "verdict")


class EvaluationFileError(ValueError):
    pass


def read_labelled(lines: Iterable[str], file: str = "<jsonl>") -> list[dict]:
    """Parse labelled replies; raises EvaluationFileError naming the line and field."""
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationFileError(f"{file}:{number}: not JSON: {exc.msg}") from exc
        for name in REQUIRED_FIELDS:
            if name not in item:
                raise EvaluationFileError(f"{file}:{number}: {name}: is required")
        if item["verdict"] not in ("pass", "fail"):
            raise EvaluationFileError(f"{file}:{number}: verdict: must be pass or fail")
        if not isinstance(item["elements"], dict):
            raise EvaluationFileError(f"{file}:{number}: elements: must be a mapping")
        item["line"] = number
        items.append(item)
    return items


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, label: bool, predicted: bool) -> None:
        if label and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif label:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def agreement(self) -> float:
        return (self.tp + self.tn) / self.total if self.total else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    elements: dict[str, Counts] = field(default_factory=dict)
    overall_elements: Counts = field(default_factory=Counts)
    forbidden: Counts = field(default_factory=Counts)
    verdict: Counts = field(default_factory=Counts)  # "positive" = pass
    lookalikes: int = 0
    lookalikes_flagged: int = 0
    needs_review: int = 0
    disagreements: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "replies": self.verdict.total,
            "element_agreement": round(self.overall_elements.agreement, 4),
            "forbidden_precision": round(self.forbidden.precision, 4),
            "forbidden_recall": round(self.forbidden.recall, 4),
            "verdict_agreement": round(self.verdict.agreement, 4),
            "lookalikes": self.lookalikes,
            "lookalikes_flagged": self.lookalikes_flagged,
            "needs_review": self.needs_review,
            "verdict_confusion": {
                "pass_pass": self.verdict.tp,
                "pass_fail": self.verdict.fn,
                "fail_pass": self.verdict.fp,
                "fail_fail": self.verdict.tn,
            },
        }


def evaluate(pairs: Iterable[tuple[dict, dict]]) -> Report:
    """`pairs` of (labelled line, scorer result)."""
    report = Report()
    for label, result in pairs:
        wrong = []
        for key, expected in label["elements"].items():
            predicted = bool(result["elements"].get(key, False))
            name = f"{label['scenario']}.{label['turn']}.{key}"
            report.elements.setdefault(name, Counts()).add(bool(expected), predicted)
            report.overall_elements.add(bool(expected), predicted)
            if predicted != bool(expected):
                wrong.append(key)
        flagged = bool(result["forbidden"])
        report.forbidden.add(bool(label["forbidden"]), flagged)
        if "lookalike" in label.get("tags", ()):
            report.lookalikes += 1
            report.lookalikes_flagged += flagged
        report.verdict.add(label["verdict"] == "pass", result["verdict"] == "pass")
        report.needs_review += bool(result.get("needs_review"))
        if wrong or flagged != bool(label["forbidden"]) or result["verdict"] != label["verdict"]:
            report.disagreements.append(
                {
                    "line": label.get("line"),
                    "text": label["text"],
                    "elements": wrong,
                    "forbidden": [f["matched"] for f in result["forbidden"]],
                    "verdict": result["verdict"],
                }
            )
    return report


def format_report(report: Report, show_disagreements: bool = False) -> str:
    lines = [f"{'element':<58}{'tp':>4}{'fp':>4}{'fn':>4}{'tn':>4}{'prec':>8}{'recall':>8}"]
    for name, c in sorted(report.elements.items()):
        lines.append(
            f"{name:<58}{c.tp:>4}{c.fp:>4}{c.fn:>4}{c.tn:>4}"
            f"{100 * c.precision:>7.1f}%{100 * c.recall:>7.1f}%"
        )
    e, f, v = report.overall_elements, report.forbidden, report.verdict
    lines += [
        "",
        f"replies: {v.total}   flagged for review: {report.needs_review}",
        f"element decisions: agreement {100 * e.agreement:.1f}% "
        f"(precision {100 * e.precision:.1f}%, recall {100 * e.recall:.1f}%, n={e.total})",
        f"forbidden phrases: precision {100 * f.precision:.1f}%, recall {100 * f.recall:.1f}% "
        f"(tp {f.tp}, fp {f.fp}, fn {f.fn}, tn {f.tn}); "
        f"innocent look-alikes flagged: {report.lookalikes_flagged} of {report.lookalikes}",
        f"verdict agreement: {100 * v.agreement:.1f}%",
        "",
        "verdict confusion      scored pass  scored fail",
        f"  labelled pass        {v.tp:>11}  {v.fn:>11}",
        f"  labelled fail        {v.fp:>11}  {v.tn:>11}",
    ]
    if show_disagreements:
        lines.append("")
        for d in report.disagreements:
            lines.append(
                f"line {d['line']}: {d['text']} → elements {d['elements']} "
                f"forbidden {d['forbidden']} verdict {d['verdict']}"
            )
    return "\n".join(lines)
