"""Deciding a rubric element by what it means. Pure: no Flask, no database.

An element is present when the reply says one of its wordings — the element's phrasings,
widened by the domain thesaurus (scripts_library/thesaurus.yaml) — as words (jieba), not
negated (没法马上办, 号码我不用问), not in a wrong sense (抱歉也没用, 请您理解) and not
inside a forbidden phrase (规定 in 规定就是规定). Example replies, from the scenario file and
taught by trainers, are compared by character n-grams: a reply a trainer has already judged
is judged the same way, and one close to the examples is decided by them. Every decision
carries a confidence; below REVIEW_BELOW a trainer should look at it.

Phrasing syntax: `@group` names a thesaurus group; `甲+乙` needs both parts (any order).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np
from rapidfuzz import fuzz

from trainer.phrases.engine import NormalisedText, normalise, normalise_pattern
from trainer.source_files import load_yaml

REVIEW_BELOW = 0.6
SAME_REPLY = 0.93  # rapidfuzz ratio / 100 at which a taught example is "the same reply"
CLAUSE_BREAK = frozenset(",.!?;:。、\n")
NEGATORS = frozenset("不没别无未")
PRE_WINDOW = 3
POST_WINDOW = 4
# After a word: 号码我不用问. (重启了也没用 is a fact, so 也没用 is listed per group as `not`.)
POST_NEGATIONS = ("不用", "不需要", "不必", "就算了", "没必要", "用不着")
# Fixed expressions whose 不/没/别 negates nothing that follows them.
NOT_NEGATIONS = (
    "不好意思",
    "不客气",
    "没关系",
    "没问题",
    "不着急",
    "别着急",
    "不用担心",
    "别担心",
    "不要紧",
    "有没有",
    "是不是",
    "能不能",
    "对不对",
    "行不行",
    "要不要",
    "会不会",
    "可不可以",
    "好不好",
    "别急",
    "不然",
    "不管",
)


# ---- the thesaurus -------------------------------------------------------------------------


@dataclass(frozen=True)
class SynonymGroup:
    key: str
    terms: tuple[str, ...]
    wrong_sense: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # compared (and hashed, for caches) by identity: one per file
class Thesaurus:
    groups: tuple[SynonymGroup, ...]

    def group(self, key: str) -> SynonymGroup | None:
        return next((g for g in self.groups if g.key == key), None)

    def covering(self, phrasings: Iterable[str]) -> list[SynonymGroup]:
        """The groups an element's own words stand for.

        Each word brings the group it belongs to; a word found in several groups brings
        the one holding most of the element's words (then the smallest, the most specific).
        """
        wanted = {normalise_pattern(p) for p in phrasings}
        members = [{normalise_pattern(t) for t in g.terms} for g in self.groups]
        counts = [len(m & wanted) for m in members]
        chosen: dict[int, None] = {}
        for word in wanted:
            holders = [i for i, m in enumerate(members) if word in m]
            if holders:
                chosen[min(holders, key=lambda i: (-counts[i], len(members[i])))] = None
        return [self.groups[i] for i in chosen]


def parse_thesaurus(text: str, file: str = "thesaurus.yaml") -> Thesaurus:
    """Raises ValueError naming the group and field that is wrong."""
    data = load_yaml(text) or {}
    groups = []
    for i, raw in enumerate(data.get("groups") or []):
        if not isinstance(raw, dict) or not raw.get("key") or not raw.get("terms"):
            raise ValueError(f"{file}: groups[{i}]: needs key and terms")
        terms = tuple(str(t) for t in raw["terms"])
        wrong = tuple(str(t) for t in raw.get("not") or ())
        groups.append(SynonymGroup(str(raw["key"]), terms, wrong))
    return Thesaurus(tuple(groups))


@lru_cache(maxsize=4)
def _read_thesaurus(path: str, mtime: float) -> Thesaurus:
    return parse_thesaurus(Path(path).read_text(encoding="utf-8"), Path(path).name)


def load_thesaurus(path: Path) -> Thesaurus:
    """The thesaurus file, read again only when it changes."""
    if not path.exists():
        return Thesaurus(())
    return _read_thesaurus(str(path), path.stat().st_mtime)


# ---- words ---------------------------------------------------------------------------------

_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()
_known_words: set[str] = set()


def _segmenter(words: Iterable[str]) -> jieba.Tokenizer:
    """One jieba tokenizer (its own, not jieba's global one) that knows every evidence word."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            jieba.setLogLevel(60)
            _tokenizer = jieba.Tokenizer()
            _tokenizer.initialize()
        for word in set(words) - _known_words:
            if len(word) > 1 and not word.isascii():
                _tokenizer.add_word(word, freq=2000)
            _known_words.add(word)
    return _tokenizer


def word_bounds(text: str, tokenizer: jieba.Tokenizer) -> tuple[set[int], set[int]]:
    starts, ends, position = set(), set(), 0
    for token in tokenizer.cut(text, HMM=False):
        starts.add(position)
        position += len(token)
        ends.add(position)
    return starts, ends


# ---- compiled elements ---------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    text: str
    found: bool


@dataclass(frozen=True)
class ElementSpec:
    """What the matcher needs of a rubric element (scenario_format.RubricElement fits)."""

    key: str
    phrasings: tuple[str, ...]
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True)
class ElementDecision:
    key: str
    found: bool
    confidence: float
    basis: str  # words | negated | partial | example | taught | none
    matched: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class _Evidence:
    alternatives: tuple[tuple[tuple[str, ...], ...], ...]  # alternative → parts → words
    wrong_sense: tuple[str, ...]


def _words_of(part: str, thesaurus: Thesaurus) -> tuple[str, ...]:
    if part.startswith("@"):
        group = thesaurus.group(part[1:])
        if group is None:
            raise ValueError(f"unknown thesaurus group {part}")
        return tuple(normalise_pattern(t) for t in group.terms)
    return (normalise_pattern(part),)


def compile_evidence(phrasings: Sequence[str], thesaurus: Thesaurus) -> _Evidence:
    alternatives: list[tuple[tuple[str, ...], ...]] = []
    wrong: set[str] = set()
    plain = [p for p in phrasings if "+" not in p and not p.startswith("@")]
    for phrasing in phrasings:
        parts = tuple(_words_of(p.strip(), thesaurus) for p in phrasing.split("+") if p.strip())
        alternatives.append(parts)
        for part in phrasing.split("+"):
            if part.strip().startswith("@"):
                wrong.update(thesaurus.group(part.strip()[1:]).wrong_sense)
    for group in thesaurus.covering(plain):
        alternatives.append((tuple(normalise_pattern(t) for t in group.terms),))
        wrong.update(group.wrong_sense)
    return _Evidence(tuple(alternatives), tuple(normalise_pattern(w) for w in wrong))


# ---- reading one reply ---------------------------------------------------------------------


class _Reading:
    """A reply prepared once for every element of a turn."""

    def __init__(self, text: str, forbidden: Sequence[tuple[int, int]], words: set[str]):
        self.norm: NormalisedText = normalise(text)
        self.text = self.norm.text
        self.forbidden = forbidden  # spans in the original text
        masked = list(self.text)
        for expression in NOT_NEGATIONS:
            for m in re.finditer(re.escape(expression), self.text):
                masked[m.start() : m.end()] = "_" * (m.end() - m.start())
        self.masked = "".join(masked)
        self.starts, self.ends = word_bounds(self.text, _segmenter(words))

    def occurrences(self, word: str) -> Iterable[int]:
        position = self.text.find(word)
        while position >= 0:
            yield position
            position = self.text.find(word, position + 1)

    def is_word(self, start: int, end: int) -> bool:
        if self.text[start:end].isascii():
            return True  # spaces are gone after normalising: jieba cannot cut English here
        if end - start == 1:
            return end in self.ends  # one character: a word, or the end of one (灯 in 红灯)
        return start in self.starts or end in self.ends

    def negated(self, start: int, end: int) -> bool:
        before = ""
        for char in reversed(self.masked[max(0, start - PRE_WINDOW) : start]):
            if char in CLAUSE_BREAK:
                break
            before = char + before
        if any(c in NEGATORS for c in before):
            return True
        after = ""
        for char in self.text[end : end + POST_WINDOW]:
            if char in CLAUSE_BREAK:
                break
            after += char
        return any(n in after for n in POST_NEGATIONS)

    def wrong_sense(self, start: int, end: int, phrases: Sequence[str]) -> bool:
        for phrase in phrases:
            for position in self.occurrences(phrase):
                if position <= start and end <= position + len(phrase):
                    return True
        return False

    def in_forbidden(self, start: int, end: int) -> bool:
        orig_start, orig_end = self.norm.span(start, end)
        return any(fs < orig_end and orig_start < fe for fs, fe in self.forbidden)


def _find_part(reading: _Reading, words: Sequence[str], wrong: Sequence[str]):
    """(span, None) for the earliest good occurrence, or (None, why) when only bad ones."""
    best, spoiled = None, None
    for word in words:
        if not word:
            continue
        for start in reading.occurrences(word):
            end = start + len(word)
            if not reading.is_word(start, end):
                continue
            if (
                reading.in_forbidden(start, end)
                or reading.wrong_sense(start, end, wrong)
                or reading.negated(start, end)
            ):
                spoiled = "negated"
            elif best is None or start < best[0] or (start == best[0] and end > best[1]):
                best = (start, end)
    return best, spoiled


def _lexical(reading: _Reading, evidence: _Evidence):
    """('words', span) | ('negated', None) | ('partial', None) | ('none', None)."""
    outcome, span = "none", None
    for parts in evidence.alternatives:
        spans, spoiled_any = [], False
        for words in parts:
            found, spoiled = _find_part(reading, words, evidence.wrong_sense)
            spans.append(found)
            spoiled_any = spoiled_any or bool(spoiled)
        if all(spans):
            first = min(spans)
            if span is None or first < span:
                span = first
            outcome = "words"
        elif outcome != "words":
            if any(spans) and len(parts) > 1:
                outcome = "partial"
            elif spoiled_any and outcome == "none":
                outcome = "negated"
    return outcome, span


# ---- the turn scorer -----------------------------------------------------------------------


class TurnScorer:
    """Every element of one turn compiled once; `decide` reads a reply against all of them."""

    def __init__(self, elements: Sequence[ElementSpec], thesaurus: Thesaurus):
        self.elements = tuple(elements)
        self.evidence = {e.key: compile_evidence(e.phrasings, thesaurus) for e in elements}
        self.words = {
            w
            for ev in self.evidence.values()
            for alt in ev.alternatives
            for part in alt
            for w in part
        }
        # every example of the turn is one row of one matrix: a reply costs one product
        self.examples: dict[str, list[tuple[int, str, bool]]] = {e.key: [] for e in elements}
        texts: list[str] = []
        for element in elements:
            for example in element.examples:
                self.examples[element.key].append(
                    (len(texts), normalise_pattern(example.text), example.found)
                )
                texts.append(normalise_pattern(example.text))
        self.vectorizer = self.matrix = None
        if texts:
            # Imported here: scikit-learn (with SciPy) takes about a second to import, which
            # every process paid at start (each CLI command, each web worker) for a model
            # built only when a turn with examples is first scored.
            from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415

            # scikit-learn learns the n-grams and their weights once; a reply is then weighed
            # with plain numpy (its per-call validation costs more than the arithmetic)
            self.vectorizer = TfidfVectorizer(
                analyzer="char", ngram_range=(1, 3), sublinear_tf=True
            ).fit(texts)
            self.analyse = self.vectorizer.build_analyzer()
            self.vocabulary = self.vectorizer.vocabulary_
            self.idf = self.vectorizer.idf_
            self.matrix = self.vectorizer.transform(texts).toarray()

    def _similarities(self, text: str) -> np.ndarray:
        """Cosine of `text` with every example (same TF-IDF as the fitted vectorizer)."""
        counts: dict[int, int] = {}
        for gram in self.analyse(text):
            column = self.vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(self.matrix.shape[0])
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        weights = (1 + np.log(np.fromiter(counts.values(), dtype=float))) * self.idf[columns]
        weights /= np.linalg.norm(weights)
        return self.matrix[:, columns] @ weights

    def decide(self, text: str, forbidden: Sequence[tuple[int, int]] = ()) -> list[ElementDecision]:
        reading = _Reading(text, forbidden, self.words)
        similarities = self._similarities(reading.text) if self.matrix is not None else None
        return [self._decide(e.key, reading, similarities) for e in self.elements]

    def _decide(self, key: str, reading: _Reading, similarities) -> ElementDecision:
        outcome, span = _lexical(reading, self.evidence[key])
        same, positive, negative = None, 0.0, 0.0
        for row, example_text, found in self.examples[key]:
            ratio = fuzz.ratio(reading.text, example_text) / 100
            if ratio >= SAME_REPLY and (same is None or ratio > same[0]):
                same = (ratio, found)
            similarity = float(similarities[row])
            if found:
                positive = max(positive, similarity)
            else:
                negative = max(negative, similarity)
        if same is not None:
            return ElementDecision(key, same[1], round(same[0], 2), "taught")
        if outcome == "words":
            start, end = reading.norm.span(*span)
            confidence = 0.9
            if negative > 0.75 and negative > positive:
                confidence = 0.5  # says the words but reads like a wrong example
            return ElementDecision(
                key, True, confidence, "words", reading.norm.original[start:end], start, end
            )
        if positive >= 0.6 and positive > negative + 0.05:
            # resemblance alone, without the words: a trainer should confirm unless very close
            return ElementDecision(key, True, round(0.7 * positive, 2), "example")
        if outcome in ("negated", "partial"):
            confidence = 0.5 if positive > 0.5 and positive > negative else 0.85
            return ElementDecision(key, False, confidence, outcome)
        confidence = 0.9 if positive < 0.3 else round(max(0.3, 0.9 - positive), 2)
        return ElementDecision(key, False, confidence, "none")


@lru_cache(maxsize=512)
def turn_scorer(elements: tuple[ElementSpec, ...], thesaurus: Thesaurus) -> TurnScorer:
    """The compiled scorer of a turn (with its examples), built once per content."""
    return TurnScorer(elements, thesaurus)


def needs_review(decisions: Iterable[ElementDecision]) -> bool:
    return any(d.confidence < REVIEW_BELOW for d in decisions)


def element_specs(
    elements: Iterable, learned: Mapping[str, Sequence[Example]] | None = None
) -> tuple[ElementSpec, ...]:
    """ElementSpecs of rubric elements, with the examples trainers taught added."""
    learned = learned or {}
    return tuple(
        ElementSpec(
            e.key,
            tuple(e.phrasings),
            tuple(Example(text, found) for text, found in getattr(e, "examples", ()))
            + tuple(learned.get(e.key, ())),
        )
        for e in elements
    )
