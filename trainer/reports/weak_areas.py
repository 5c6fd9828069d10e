"""Weak areas of one trainee, folded from scored facts of quizzes and drills. Pure.

A fact is "this much earned out of this much possible" on a topic (a question category or
a scenario's procedure) or a procedure step (`<procedure>.<step>`); forbidden phrases and
rubric elements are counted per reply.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

WEAK_BELOW = 0.6  # a share of points under this marks an area as weak
MIN_POSSIBLE = 1e-9


@dataclass(frozen=True)
class ScoreFact:
    kind: str  # topic | step
    key: str
    earned: float
    possible: float
    source: str  # quiz | drill


@dataclass(frozen=True)
class ElementFact:
    key: str
    label: str
    found: bool


@dataclass(frozen=True)
class PhraseFact:
    phrase: str
    alternative: str


@dataclass(frozen=True)
class AreaScore:
    kind: str
    key: str
    label: str
    earned: float
    possible: float
    count: int  # questions answered / turns played
    sources: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.earned / self.possible if self.possible > MIN_POSSIBLE else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)

    @property
    def weak(self) -> bool:
        return self.share < WEAK_BELOW


@dataclass(frozen=True)
class PhraseUse:
    phrase: str
    alternative: str
    count: int


@dataclass(frozen=True)
class MissedElement:
    key: str
    label: str
    missed: int
    seen: int

    @property
    def percent_missed(self) -> int:
        return round(100 * self.missed / self.seen) if self.seen else 0


@dataclass
class WeakAreas:
    topics: list[AreaScore] = field(default_factory=list)
    steps: list[AreaScore] = field(default_factory=list)
    phrases: list[PhraseUse] = field(default_factory=list)
    elements: list[MissedElement] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.topics or self.steps or self.phrases or self.elements)

    def focus_options(self, limit: int = 12) -> list[dict]:
        """The weakest areas as coaching focus items ({kind, key, label}), weakest first."""
        weak = sorted((a for a in self.topics + self.steps if a.weak), key=lambda a: a.share)
        options = [
            {"kind": a.kind, "key": a.key, "label": f"{a.label} ({a.percent}%)"} for a in weak
        ]
        options += [
            {"kind": "phrase", "key": p.phrase, "label": f"{p.phrase} ×{p.count}"}
            for p in self.phrases
        ]
        options += [
            {"kind": "element", "key": e.key, "label": f"{e.label} ({e.missed}/{e.seen})"}
            for e in self.elements
            if e.missed
        ]
        return options[:limit]


def fold_scores(facts: Iterable[ScoreFact], labels: dict[tuple[str, str], str]) -> list[AreaScore]:
    """Sum facts per (kind, key); weakest first, then by key for a stable order."""
    earned: dict[tuple[str, str], float] = defaultdict(float)
    possible: dict[tuple[str, str], float] = defaultdict(float)
    count: Counter = Counter()
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for fact in facts:
        area = (fact.kind, fact.key)
        earned[area] += fact.earned
        possible[area] += fact.possible
        count[area] += 1
        sources[area].add(fact.source)
    scores = [
        AreaScore(
            kind,
            key,
            labels.get((kind, key), key),
            earned[(kind, key)],
            possible[(kind, key)],
            count[(kind, key)],
            tuple(sorted(sources[(kind, key)])),
        )
        for kind, key in possible
        if possible[(kind, key)] > MIN_POSSIBLE
    ]
    return sorted(scores, key=lambda a: (a.share, a.key))


def most_used_phrases(facts: Iterable[PhraseFact], limit: int = 10) -> list[PhraseUse]:
    facts = list(facts)
    counts = Counter(f.phrase for f in facts)
    alternatives: dict[str, str] = {}
    for f in facts:
        alternatives.setdefault(f.phrase, f.alternative)
    return [
        PhraseUse(phrase, alternatives.get(phrase, ""), n)
        for phrase, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))[:limit]
    ]


def missed_elements(facts: Iterable[ElementFact], limit: int = 10) -> list[MissedElement]:
    seen: Counter = Counter()
    missed: Counter = Counter()
    labels: dict[str, str] = {}
    for f in facts:
        seen[f.key] += 1
        missed[f.key] += not f.found
        labels.setdefault(f.key, f.label)
    rows = [MissedElement(k, labels[k], missed[k], seen[k]) for k in seen if missed[k]]
    rows.sort(key=lambda e: (-e.missed / e.seen, -e.missed, e.key))
    return rows[:limit]


def weak_areas(
    scores: list[ScoreFact],
    phrases: list[PhraseFact],
    elements: list[ElementFact],
    labels: dict[tuple[str, str], str],
) -> WeakAreas:
    folded = fold_scores(scores, labels)
    return WeakAreas(
        topics=[a for a in folded if a.kind == "topic"],
        steps=[a for a in folded if a.kind == "step"],
        phrases=most_used_phrases(phrases),
        elements=missed_elements(elements),
    )
