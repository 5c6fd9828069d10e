"""The forbidden-phrase engine: pure Python, no Flask, shared by every feature that checks a reply.

A reply is normalised the way real typing varies — NFKC (full/half width), whitespace and
zero-width characters dropped, traditional → simplified (OpenCC t2s), case folded — while an
index map keeps every normalised character's span in the original text, so findings report
offsets into what the person actually typed. One Aho-Corasick automaton per phrase set finds
every forbidden phrase, variant and allowed context in a single pass.

A wording may hold a gap written "…" (e.g. 你去…问, 找…去): up to GAP_MAX characters of the
same clause. Gapped wordings are regular expressions run beside the automaton. Findings that
overlap are merged, whatever their rules: one finding per span, the longest wording wins.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
import opencc

# Characters people (or editors) slip between letters; none of them carries meaning here.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064")

_T2S = opencc.OpenCC("t2s")


def _load_traditional_characters() -> tuple[dict[str, str], frozenset[str]]:
    """OpenCC's own character table: traditional → first simplified form, and the characters
    whose simplified form depends on the word around them (乾 → 干 or 乾)."""
    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    mapping: dict[str, str] = {}
    ambiguous: set[str] = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        candidates = values.split(" ")
        if len(key) == 1 and len(candidates[0]) == 1 and candidates[0] != key:
            mapping[key] = candidates[0]
        if len(key) == 1 and len(candidates) > 1:
            ambiguous.add(key)
    return mapping, frozenset(ambiguous)


_TRADITIONAL, _AMBIGUOUS = _load_traditional_characters()
_TRADITIONAL_CHARS = frozenset(_TRADITIONAL)
_T2S_TABLE = str.maketrans(_TRADITIONAL)


# ---- value objects (the cross-feature contract) -------------------------------------------


@dataclass(frozen=True)
class PhraseRule:
    """One forbidden phrase (禁语) with what to say instead."""

    key: str
    phrase: str
    variants: tuple[str, ...] = ()
    category: str = ""
    reason: str = ""
    alternative: str = ""
    allowed_contexts: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequiredElement:
    """Something a reply must contain (a role-play scenario's 必说要素), in any of its phrasings."""

    key: str
    label: str
    phrasings: tuple[str, ...]


@dataclass(frozen=True)
class ForbiddenFinding:
    phrase: str
    matched: str
    start: int
    end: int
    alternative: str
    rule_key: str
    category: str = ""

    def to_dict(self) -> dict:
        return {
            "phrase": self.phrase,
            "matched": self.matched,
            "start": self.start,
            "end": self.end,
            "alternative": self.alternative,
        }


@dataclass(frozen=True)
class ElementFinding:
    element: str
    found: bool
    matched: str | None = None
    start: int | None = None
    end: int | None = None
    key: str = ""

    def to_dict(self) -> dict:
        return {"element": self.element, "found": self.found, "matched": self.matched}


@dataclass
class Findings:
    forbidden: list[ForbiddenFinding] = field(default_factory=list)
    required: list[ElementFinding] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """No forbidden phrase was used (missing required elements are reported separately)."""
        return not self.forbidden

    @property
    def complete(self) -> bool:
        """Every required element is present."""
        return all(item.found for item in self.required)

    @property
    def missing(self) -> list[ElementFinding]:
        return [item for item in self.required if not item.found]

    def to_dict(self) -> dict:
        return {
            "forbidden": [item.to_dict() for item in self.forbidden],
            "required": [item.to_dict() for item in self.required],
            "clean": self.clean,
        }


# ---- normalisation --------------------------------------------------------------------------


@dataclass(frozen=True)
class NormalisedText:
    """`text` normalised, with what it takes to map a span back to the original.

    `edits` lists, in order, each original character that did not stay one character:
    (original index, length it became) — 0 for a removed space or zero-width character,
    several for an expansion such as … → "...". Usually there are none or a few.
    """

    original: str
    text: str
    edits: tuple[tuple[int, int], ...] = ()

    def _original_index(self, index: int) -> int:
        shift = 0  # normalised index − original index, so far
        for position, length in self.edits:
            start = position + shift
            if index < start:
                break
            if index < start + length:
                return position  # inside an expansion: it all comes from one character
            shift += length - 1
        return index - shift

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalised slice [start, end)."""
        return self._original_index(start), self._original_index(end - 1) + 1


def _fold_char(char: str) -> str:
    """NFKC then casefold one original character; '' when it is whitespace or zero-width."""
    if char in ZERO_WIDTH or char.isspace():
        return ""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return "".join(c for c in folded if c not in ZERO_WIDTH and not c.isspace())


def _char_class(chars: Iterable[str]) -> re.Pattern | None:
    chars = sorted(chars)
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]") if chars else None


@dataclass(frozen=True)
class _FoldState:
    """What the fold cache knows at one moment: never changed once published, so a reader
    that took it sees characters and regular expressions that belong together."""

    known: frozenset[str] = frozenset()
    replacements: dict[str, str] = field(default_factory=dict)  # one for one (，→ ,  Ａ → a)
    changes: dict[str, str] = field(default_factory=dict)  # removed ("") or expanded (… → ...)
    # Traditional characters seen so far: a small class is far faster to search than OpenCC's
    # four thousand.
    traditional: frozenset[str] = frozenset()
    replace_re: re.Pattern | None = None
    change_re: re.Pattern | None = None
    traditional_re: re.Pattern | None = None

    def learnt(self, chars: set[str]) -> _FoldState:
        """A new state that also knows `chars` (this one is left as it is)."""
        replacements, changes = dict(self.replacements), dict(self.changes)
        traditional = set(self.traditional)
        new = chars - self.known
        for char in new:
            folded = _fold_char(char)
            traditional.update(c for c in (char, *folded) if c in _TRADITIONAL_OR_AMBIGUOUS)
            if len(folded) != 1:
                changes[char] = folded
            elif folded != char:
                replacements[char] = folded
        return _FoldState(
            known=self.known | new,
            replacements=replacements,
            changes=changes,
            traditional=frozenset(traditional),
            replace_re=_char_class(replacements),
            change_re=_char_class(changes),
            traditional_re=_char_class(traditional),
        )

    def replace(self, match: re.Match) -> str:
        return self.replacements[match.group()]

    def change(self, match: re.Match) -> str:
        return self.changes[match.group()]


class _FoldCache:
    """Per-character folding, learnt lazily as characters are first seen.

    Most characters never change, so a reply is normalised with C-level regular
    expressions: one-for-one replacements (，→ , Ａ → a), then removals (spaces,
    zero-width) and expansions (… → ..., ㈱ → (株)), which are recorded for the index map.

    Readers take `state` once, without a lock, and use only that snapshot; a learner builds a
    whole new state under the lock and publishes it with one assignment. A reader therefore
    never sees a character as known before the expressions that fold it exist.
    """

    def __init__(self) -> None:
        self.state = _FoldState()
        self.lock = threading.Lock()

    def learn(self, chars: set[str]) -> _FoldState:
        """Publish a state that knows `chars` and return it."""
        with self.lock:  # servers scan from several threads; learning is rare and short
            state = self.state
            if not state.known.issuperset(chars):
                state = self.state = state.learnt(chars)
            return state


_TRADITIONAL_OR_AMBIGUOUS = _TRADITIONAL_CHARS | _AMBIGUOUS
_FOLD = _FoldCache()
_AMBIGUOUS_RE = _char_class(_AMBIGUOUS)


def _to_simplified(text: str, state: _FoldState) -> str:
    """Traditional → simplified with OpenCC, keeping the length so the index map stays valid.

    OpenCC's character table does the work; only characters whose simplified form depends
    on the word (乾, 於…) send the text through OpenCC's phrase-level converter, used when
    it keeps the length (t2s nearly always does).
    """
    if state.traditional_re is None or not state.traditional_re.search(text):
        return text
    if _AMBIGUOUS_RE.search(text):
        converted = _T2S.convert(text)
        if len(converted) == len(text):
            return converted
    return text.translate(_T2S_TABLE)


def normalise(text: str) -> NormalisedText:
    fold = _FOLD.state  # one snapshot for the whole call
    if not fold.known.issuperset(text):
        fold = _FOLD.learn(set(text))
    folded = text.casefold() if text.isascii() else text
    if fold.replace_re is not None:
        folded = fold.replace_re.sub(fold.replace, folded)
    edits: tuple[tuple[int, int], ...] = ()
    if fold.change_re is not None and fold.change_re.search(folded):
        edits = tuple(
            (m.start(), len(fold.changes[m.group()])) for m in fold.change_re.finditer(folded)
        )
        folded = fold.change_re.sub(fold.change, folded)
    return NormalisedText(text, _to_simplified(folded, fold), edits)


def normalise_pattern(text: str) -> str:
    """The normalised form of a phrase, variant, context or phrasing."""
    return normalise(text).text


# ---- matching -------------------------------------------------------------------------------

_FORBIDDEN, _CONTEXT = 0, 1
GAP = "..."  # "…" after NFKC
GAP_MAX = 8
# A gap stays inside one clause: no sentence or clause punctuation (after NFKC).
_GAP_RE = f"[^,.!?;:。、\\n]{{0,{GAP_MAX}}}?"


def is_gapped(wording: str) -> bool:
    return GAP in normalise_pattern(wording)


def wording_regex(normalised: str) -> re.Pattern:
    """The expression of a normalised wording whose pieces are joined by gaps."""
    pieces = [re.escape(p) for p in normalised.split(GAP)]
    return re.compile(_GAP_RE.join(pieces))


def wording_occurs_in(wording: str, text: str) -> bool:
    """Whether `wording` (gapped or not) occurs in `text`, itself possibly gapped: the check
    that an allowed context really contains the phrase it allows."""
    normalised, haystack = normalise_pattern(wording), normalise_pattern(text)
    if not normalised:
        return False
    if GAP not in normalised:
        return normalised in haystack
    # a gap in the context stands for "something": one neutral character
    return wording_regex(normalised).search(haystack.replace(GAP, "某")) is not None


class PhraseMatcher:
    """An automaton over a set of rules; build once per phrase-set version, scan many times."""

    def __init__(self, rules: Iterable[PhraseRule], version: str = "") -> None:
        self.rules: tuple[PhraseRule, ...] = tuple(rules)
        self.version = version
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, set[tuple[int, int]]] = {}
        gapped: dict[str, set[tuple[int, int]]] = {}
        for index, rule in enumerate(self.rules):
            for kind, wordings in (
                (_FORBIDDEN, (rule.phrase, *rule.variants)),
                (_CONTEXT, rule.allowed_contexts),
            ):
                for wording in wordings:
                    if key := normalise_pattern(wording):
                        target = gapped if GAP in key else entries
                        target.setdefault(key, set()).add((kind, index))
        self._gapped = [
            (wording_regex(key), tuple(sorted(values))) for key, values in gapped.items()
        ]
        for key, values in entries.items():
            self._automaton.add_word(key, (len(key), tuple(sorted(values))))
        self._empty = not entries and not gapped
        if entries:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.rules)

    def scan(self, text: str) -> list[ForbiddenFinding]:
        """Every forbidden phrase in `text`, ordered by position, overlapping ones merged."""
        if self._empty or not text:
            return []
        norm = normalise(text)
        hits: dict[int, list[tuple[int, int]]] = {}
        contexts: dict[int, list[tuple[int, int]]] = {}
        if len(self._automaton):
            for end_index, (length, values) in self._automaton.iter(norm.text):
                span = (end_index + 1 - length, end_index + 1)
                for kind, rule_index in values:
                    target = hits if kind == _FORBIDDEN else contexts
                    target.setdefault(rule_index, []).append(span)
        for pattern, values in self._gapped:
            for match in pattern.finditer(norm.text):
                for kind, rule_index in values:
                    target = hits if kind == _FORBIDDEN else contexts
                    target.setdefault(rule_index, []).append(match.span())
        candidates = []  # (start, end, rule index) in the normalised text
        for rule_index, spans in hits.items():
            allowed = contexts.get(rule_index, ())
            for start, end in _outermost(spans):
                if not any(cs <= start and end <= ce for cs, ce in allowed):
                    candidates.append((start, end, rule_index))
        findings = []
        for start, end, rule_index in _merge_overlaps(candidates):
            rule = self.rules[rule_index]
            orig_start, orig_end = norm.span(start, end)
            findings.append(
                ForbiddenFinding(
                    phrase=rule.phrase,
                    matched=text[orig_start:orig_end],
                    start=orig_start,
                    end=orig_end,
                    alternative=rule.alternative,
                    rule_key=rule.key,
                    category=rule.category,
                )
            )
        return findings


def _merge_overlaps(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """One finding per run of overlapping spans: the run's whole extent, named after its
    longest span (the earliest, then the first-listed rule, on a tie)."""
    merged: list[tuple[int, int, int]] = []
    best_length = 0
    for start, end, rule_index in sorted(candidates):
        if merged and start < merged[-1][1]:
            run_start, run_end, run_rule = merged[-1]
            if end - start > best_length or (
                end - start == best_length and rule_index < run_rule and start == run_start
            ):
                run_rule, best_length = rule_index, end - start
            merged[-1] = (run_start, max(run_end, end), run_rule)
            continue
        merged.append((start, end, rule_index))
        best_length = end - start
    return merged


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One rule's spans without those inside another of its spans (phrase inside its variant)."""
    unique = sorted(set(spans), key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    for start, end in unique:
        if any(ks <= start and end <= ke for ks, ke in kept):
            continue
        kept.append((start, end))
    return kept


def match_elements(text: str, elements: Sequence[RequiredElement]) -> list[ElementFinding]:
    """For each required element, its earliest phrasing in `text` (or found=False)."""
    norm = normalise(text) if elements else None
    results = []
    for element in elements:
        best: tuple[int, int] | None = None
        for phrasing in element.phrasings:
            pattern = normalise_pattern(phrasing)
            if not pattern:
                continue
            position = norm.text.find(pattern)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, position + len(pattern))
        if best is None:
            results.append(ElementFinding(element.label, False, key=element.key))
            continue
        start, end = norm.span(*best)
        results.append(
            ElementFinding(element.label, True, text[start:end], start, end, element.key)
        )
    return results


def check(text: str, matcher: PhraseMatcher, elements: Sequence[RequiredElement] = ()) -> Findings:
    """Forbidden phrases in `text` and, when given, which required elements are present."""
    return Findings(forbidden=matcher.scan(text), required=match_elements(text, elements))
