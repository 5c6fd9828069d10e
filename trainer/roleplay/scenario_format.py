"""Reading a role-play scenario (YAML) into the value objects of `scenario_model`, remembering
each field's line.

Pure: no Flask, no database. `parse_scenario` raises `ScenarioFileError` with every problem
of one file; `trainer.roleplay.validation` checks the parsed scenario's graph and references.
The format is documented in scripts_library/scenarios/README.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

from trainer.roleplay.scenario_model import (
    DEFAULT_FORBIDDEN_PENALTY,
    DEFAULT_PASS_MARK,
    Choice,
    Ending,
    Rubric,
    RubricElement,
    Scenario,
    Turn,
)
from trainer.source_files import Problem, SourceFileError, field_name, parse_yaml

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
TURN_KINDS = ("choice", "reply")
OUTCOMES = ("good", "bad")
CHANNELS = ("counter", "hotline")

Path = tuple  # a field's path inside the document, e.g. ("turns", "t1", "choices", 0, "next")


class ScenarioFileError(SourceFileError):
    """A scenario file was refused; `problems` lists every problem in it."""


# ---- YAML with line numbers ----------------------------------------------------------------


def _compose(text: str, file: str) -> tuple[object, dict[Path, int]]:
    try:
        document = parse_yaml(text, file, str_keys=False)
    except SourceFileError as exc:
        raise ScenarioFileError(exc.problems) from None
    return document.data, document.lines


def dotted(path: Path) -> str:
    """('turns', 't1', 'choices', 0) → 'turns.t1.choices[0]'; the whole file is '(document)'."""
    return field_name(path) or "(document)"


# ---- building the value objects ------------------------------------------------------------


class _Reader:
    """Typed access to the raw document that records a problem instead of raising."""

    def __init__(self, file: str, lines: dict[Path, int]):
        self.file, self.lines = file, lines
        self.problems: list[Problem] = []

    def problem(self, path: Path, message: str) -> None:
        line = None
        probe = path
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe[:-1]
        # A missing top-level field has no line of its own: point at the top of the file.
        self.problems.append(Problem(self.file, line or 1, dotted(path), message))

    def text(self, data: dict, path: Path, name: str, *, required: bool = True) -> str:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem((*path, name), "is required")
            return ""
        if not isinstance(value, str | int | float):
            self.problem((*path, name), "must be text")
            return ""
        return str(value).strip()

    def integer(self, data: dict, path: Path, name: str, default: int | None, lo: int, hi: int):
        value = data.get(name, default)
        if value is None:
            self.problem((*path, name), "is required")
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.problem((*path, name), f"must be a whole number from {lo} to {hi}")
            return default or 0
        return value

    def mapping(self, data, path: Path, name: str) -> dict:
        value = data.get(name) if isinstance(data, dict) else None
        if not isinstance(value, dict) or not value:
            self.problem((*path, name), "must be a non-empty mapping")
            return {}
        return value

    def strings(self, data: dict, path: Path, name: str, *, required: bool) -> tuple[str, ...]:
        value = data.get(name)
        if value is None:
            if required:
                self.problem((*path, name), "is required")
            return ()
        if not isinstance(value, list) or not all(
            isinstance(v, str | int) and str(v).strip() for v in value
        ):
            self.problem((*path, name), "must be a list of non-empty texts")
            return ()
        if required and not value:
            self.problem((*path, name), "must not be empty")
        return tuple(str(v).strip() for v in value)


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """Parse one scenario file; raise ScenarioFileError listing every structural problem."""
    return _parse_cached(text, file)


@lru_cache(maxsize=256)
def _parse_cached(text: str, file: str) -> Scenario:
    data, lines = _compose(text, file)
    read = _Reader(file, lines)
    if not isinstance(data, dict):
        raise ScenarioFileError([Problem(file, 1, "(document)", "must be a mapping")])
    key = read.text(data, (), "key")
    if key and not KEY_PATTERN.match(key):
        read.problem(("key",), "must be lower-case letters, digits and _ (2–64 characters)")
    persona = data.get("persona") if isinstance(data.get("persona"), dict) else None
    if persona is None:
        read.problem(("persona",), "must be a mapping with name and description")
        persona = {"name": "?"}
    channel = read.text(data, (), "channel", required=False) or "counter"
    if channel not in CHANNELS:
        read.problem(("channel",), f"must be one of {', '.join(CHANNELS)}")
    turns = {
        str(turn_key): _parse_turn(read, str(turn_key), raw)
        for turn_key, raw in read.mapping(data, (), "turns").items()
    }
    endings = {
        str(end_key): _parse_ending(read, str(end_key), raw)
        for end_key, raw in read.mapping(data, (), "endings").items()
    }
    scenario = Scenario(
        key=key,
        title=read.text(data, (), "title"),
        procedure=read.text(data, (), "procedure"),
        situation=read.text(data, (), "situation"),
        persona_name=read.text(persona, ("persona",), "name"),
        persona_description=read.text(persona, ("persona",), "description", required=False),
        start=read.text(data, (), "start"),
        turns=turns,
        endings=endings,
        channel=channel,
        tags=read.strings(data, (), "tags", required=False),
        pass_mark=read.integer(data, (), "pass_mark", DEFAULT_PASS_MARK, 0, 100),
        required_for=read.strings(data, (), "required_for", required=False),
        file=file,
        lines=lines,
    )
    if read.problems:
        raise ScenarioFileError(read.problems)
    return scenario


def _parse_turn(read: _Reader, key: str, raw) -> Turn:
    path = ("turns", key)
    if not isinstance(raw, dict):
        read.problem(path, "must be a mapping")
        return Turn(key=key, kind="choice", customer="")
    kind = read.text(raw, path, "kind")
    if kind and kind not in TURN_KINDS:
        read.problem((*path, "kind"), f"must be one of {', '.join(TURN_KINDS)}")
    common = {
        "key": key,
        "kind": kind,
        "customer": read.text(raw, path, "customer"),
        "action": read.text(raw, path, "action", required=False),
        "mood": read.text(raw, path, "mood", required=False),
        "prompt": read.text(raw, path, "prompt", required=False),
        "critical": _flag(read, raw, path, "critical"),
    }
    if kind == "choice":
        if "rubric" in raw or "next" in raw or "ending" in raw:
            read.problem(path, "a choice turn leads on through its choices only")
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, list) or len(raw_choices) < 2:
            read.problem((*path, "choices"), "a choice turn needs at least two choices")
            raw_choices = raw_choices if isinstance(raw_choices, list) else []
        choices = tuple(
            _parse_choice(read, (*path, "choices", i), c) for i, c in enumerate(raw_choices)
        )
        return Turn(**common, choices=choices)
    if kind == "reply":
        if "choices" in raw:
            read.problem((*path, "choices"), "a reply turn has a rubric, not choices")
        rubric = None
        if not isinstance(raw.get("rubric"), dict):
            read.problem((*path, "rubric"), "a reply turn needs a rubric")
        else:
            rubric = _parse_rubric(read, (*path, "rubric"), raw["rubric"])
        nxt, ending = _exit(read, path, raw)
        return Turn(**common, rubric=rubric, next=nxt, ending=ending)
    return Turn(**common)


def _flag(read: _Reader, raw: dict, path: Path, name: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        read.problem((*path, name), "must be true or false")
        return False
    return value


def _examples(read: _Reader, item: dict, path: Path) -> tuple[tuple[str, bool], ...]:
    raw = item.get("examples")
    if raw is None:
        return ()
    if not isinstance(raw, dict) or set(raw) - {"yes", "no"}:
        read.problem((*path, "examples"), "must be a mapping with yes and/or no lists")
        return ()
    found = [(text, True) for text in read.strings(raw, (*path, "examples"), "yes", required=False)]
    missed = [
        (text, False) for text in read.strings(raw, (*path, "examples"), "no", required=False)
    ]
    return tuple(found + missed)


def _exit(read: _Reader, path: Path, raw: dict) -> tuple[str | None, str | None]:
    nxt = read.text(raw, path, "next", required=False) or None
    ending = read.text(raw, path, "ending", required=False) or None
    if nxt and ending:
        read.problem(path, "has both next and ending; give one")
    return nxt, ending


def _parse_choice(read: _Reader, path: Path, raw) -> Choice:
    if not isinstance(raw, dict):
        read.problem(path, "must be a mapping with text, score, feedback and next or ending")
        return Choice(text="", score=0, feedback="")
    nxt, ending = _exit(read, path, raw)
    return Choice(
        text=read.text(raw, path, "text"),
        score=read.integer(raw, path, "score", None, 0, 100),
        feedback=read.text(raw, path, "feedback"),
        next=nxt,
        ending=ending,
    )


def _parse_rubric(read: _Reader, path: Path, raw: dict) -> Rubric:
    raw_elements = raw.get("elements")
    if not isinstance(raw_elements, list) or not raw_elements:
        read.problem((*path, "elements"), "a rubric needs at least one required element")
        raw_elements = []
    elements = []
    seen: set[str] = set()
    for i, item in enumerate(raw_elements):
        epath = (*path, "elements", i)
        if not isinstance(item, dict):
            read.problem(epath, "must be a mapping with key, label, weight and phrasings")
            continue
        ekey = read.text(item, epath, "key")
        if ekey in seen:
            read.problem((*epath, "key"), f"duplicate element key {ekey}")
        seen.add(ekey)
        elements.append(
            RubricElement(
                key=ekey,
                label=read.text(item, epath, "label"),
                weight=read.integer(item, epath, "weight", 1, 1, 20),
                phrasings=read.strings(item, epath, "phrasings", required=True),
                examples=_examples(read, item, epath),
            )
        )
    return Rubric(
        elements=tuple(elements),
        model=read.text(raw, path, "model"),
        forbidden_penalty=read.integer(
            raw, path, "forbidden_penalty", DEFAULT_FORBIDDEN_PENALTY, 0, 20
        ),
    )


def _parse_ending(read: _Reader, key: str, raw) -> Ending:
    path = ("endings", key)
    if not isinstance(raw, dict):
        read.problem(path, "must be a mapping with outcome and text")
        return Ending(key=key, outcome="bad", text="")
    outcome = read.text(raw, path, "outcome")
    if outcome and outcome not in OUTCOMES:
        read.problem((*path, "outcome"), "must be good or bad")
    return Ending(
        key=key,
        outcome=outcome,
        text=read.text(raw, path, "text"),
        risky=read.text(raw, path, "risky", required=False),
    )
