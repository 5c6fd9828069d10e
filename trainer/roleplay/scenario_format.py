"""Reading a role-play scenario (YAML) into value objects, remembering each field's line.

Pure: no Flask, no database. `parse_scenario` raises `ScenarioFileError` with every problem
of one file; `trainer.roleplay.validation` checks the parsed scenario's graph and references.
The format is documented in scripts_library/scenarios/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from trainer.yaml_guard import check_yaml

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
TURN_KINDS = ("choice", "reply")
OUTCOMES = ("good", "bad")
CHANNELS = ("counter", "hotline")
DEFAULT_PASS_MARK = 60
DEFAULT_FORBIDDEN_PENALTY = 2
# libyaml when available: the pure-Python parser is ~10× slower on these files
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple  # a field's path inside the document, e.g. ("turns", "t1", "choices", 0, "next")


@dataclass(frozen=True)
class ScenarioProblem:
    """One error in a scenario file, located as precisely as the file allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class ScenarioFileError(ValueError):
    def __init__(self, problems: list[ScenarioProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Choice:
    text: str
    score: int
    feedback: str
    next: str | None = None
    ending: str | None = None


@dataclass(frozen=True)
class RubricElement:
    key: str
    label: str
    weight: int
    phrasings: tuple[str, ...]


@dataclass(frozen=True)
class Rubric:
    elements: tuple[RubricElement, ...]
    model: str  # "<procedure>.<step>" in scripts_library/procedures
    forbidden_penalty: int = DEFAULT_FORBIDDEN_PENALTY

    @property
    def max_points(self) -> int:
        return sum(e.weight for e in self.elements)


@dataclass(frozen=True)
class Turn:
    key: str
    kind: str
    customer: str
    action: str = ""  # what the customer does: 拍桌子, 看手表, 侧耳… (stage direction)
    mood: str = ""
    prompt: str = ""
    choices: tuple[Choice, ...] = ()
    rubric: Rubric | None = None
    next: str | None = None
    ending: str | None = None

    @property
    def max_points(self) -> int:
        if self.kind == "choice":
            return max((c.score for c in self.choices), default=0)
        return self.rubric.max_points if self.rubric else 0


@dataclass(frozen=True)
class Ending:
    key: str
    outcome: str
    text: str


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    procedure: str
    situation: str
    persona_name: str
    persona_description: str
    start: str
    turns: dict[str, Turn]
    endings: dict[str, Ending]
    channel: str = "counter"
    tags: tuple[str, ...] = ()
    pass_mark: int = DEFAULT_PASS_MARK
    required_for: tuple[str, ...] = ()  # programme codes whose pre-job path needs this drill
    file: str = ""
    lines: dict = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, *path) -> int | None:
        """The line of `path` or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def reply_turns(self) -> list[Turn]:
        return [t for t in self.turns.values() if t.kind == "reply"]


# ---- YAML with line numbers ----------------------------------------------------------------


def _compose(text: str, file: str) -> tuple[object, dict[Path, int]]:
    loader = YAML_LOADER(text)
    try:
        check_yaml(text)  # aliases would make the walk below exponential
        node = loader.get_single_node()
        lines: dict[Path, int] = {}
        problems: list[ScenarioProblem] = []
        data = _to_python(loader, node, (), lines, problems, file) if node else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # A ReaderError (control character) has no mark, only a character position.
        line = mark.line + 1 if mark else text.count("\n", 0, getattr(exc, "position", 0)) + 1
        raise ScenarioFileError(
            [ScenarioProblem(file, line, "yaml", str(getattr(exc, "problem", exc)))]
        ) from exc
    finally:
        loader.dispose()
    if problems:
        raise ScenarioFileError(problems)
    return data, lines


def _to_python(loader, node, path, lines, problems, file):
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            child = (*path, key)
            if key in result:
                problems.append(
                    ScenarioProblem(
                        file, key_node.start_mark.line + 1, _dotted(child), "duplicate key"
                    )
                )
            lines[child] = key_node.start_mark.line + 1
            result[key] = _to_python(loader, value_node, child, lines, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, (*path, i), lines, problems, file)
            for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


# ---- building the value objects ------------------------------------------------------------


class _Reader:
    """Typed access to the raw document that records a problem instead of raising."""

    def __init__(self, file: str, lines: dict[Path, int]):
        self.file, self.lines = file, lines
        self.problems: list[ScenarioProblem] = []

    def problem(self, path: Path, message: str) -> None:
        line = None
        probe = path
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe[:-1]
        # A missing top-level field has no line of its own: point at the top of the file.
        self.problems.append(ScenarioProblem(self.file, line or 1, _dotted(path), message))

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
        raise ScenarioFileError([ScenarioProblem(file, 1, "(document)", "must be a mapping")])
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
    return Ending(key=key, outcome=outcome, text=read.text(raw, path, "text"))
