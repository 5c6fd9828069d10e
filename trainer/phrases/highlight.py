"""Split a reply into plain and highlighted runs for the phrase checker (pure)."""

from dataclasses import dataclass

from trainer.phrases.engine import ForbiddenFinding


@dataclass(frozen=True)
class Segment:
    text: str
    findings: tuple[int, ...] = ()  # 1-based numbers of the findings covering this run


def highlight_segments(text: str, findings: list[ForbiddenFinding]) -> list[Segment]:
    """Runs of `text` with the findings covering each; overlapping findings share a run."""
    cover: list[tuple[int, ...]] = [()] * len(text)
    for number, finding in enumerate(findings, start=1):
        for index in range(finding.start, finding.end):
            cover[index] = (*cover[index], number)
    segments: list[Segment] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or cover[index] != cover[start]:
            segments.append(Segment(text[start:index], cover[start]))
            start = index
    return segments
