"""Checks on a parsed scenario's graph and its references into the scripts library.

Pure: the caller passes what the library knows (`known_steps`: procedure key → step keys).
Every problem names the file, line and field, like the parser's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from trainer.roleplay.scenario_format import dotted
from trainer.roleplay.scenario_model import Scenario
from trainer.source_files import Problem

KnownSteps = Mapping[str, "set[str] | frozenset[str] | Mapping[str, object]"]


def validate_scenario(scenario: Scenario, known_steps: KnownSteps) -> list[Problem]:
    """Every problem with `scenario`: references, unreachable turns, dead ends, endless loops."""
    problems: list[Problem] = []

    def problem(path: tuple, message: str) -> None:
        problems.append(Problem(scenario.file, scenario.line_of(*path), dotted(path), message))

    if scenario.procedure not in known_steps:
        problem(("procedure",), f"unknown procedure {scenario.procedure!r}")
    if scenario.start not in scenario.turns:
        problem(("start",), f"unknown turn {scenario.start!r}")

    for turn in scenario.turns.values():
        path = ("turns", turn.key)
        if turn.kind == "choice":
            for i, choice in enumerate(turn.choices):
                _check_exit(problem, scenario, (*path, "choices", i), choice.next, choice.ending)
        elif turn.kind == "reply":
            _check_exit(problem, scenario, path, turn.next, turn.ending)
            if turn.rubric is not None:
                _check_model_ref(
                    problem, (*path, "rubric", "model"), turn.rubric.model, known_steps
                )

    reachable = _reachable(scenario)
    for turn_key in scenario.turns:
        if turn_key not in reachable:
            problem(("turns", turn_key), "unreachable from the start turn")
    used_endings = {e for t in scenario.turns.values() if t.key in reachable for e in _endings(t)}
    for ending_key in scenario.endings:
        if ending_key not in used_endings:
            problem(("endings", ending_key), "no reachable turn leads to this ending")
    if not any(
        scenario.endings[e].outcome == "good" for e in used_endings if e in scenario.endings
    ):
        problem(("endings",), "no good ending can be reached")
    for turn_key in sorted(reachable - _can_finish(scenario)):
        problem(("turns", turn_key), "every way on from here loops without reaching an ending")
    return problems


def _check_exit(problem, scenario: Scenario, path: tuple, nxt, ending) -> None:
    if not nxt and not ending:
        problem(path, "dead end: give next (a turn) or ending")
    if nxt and nxt not in scenario.turns:
        problem((*path, "next"), f"unknown turn {nxt!r}")
    if ending and ending not in scenario.endings:
        problem((*path, "ending"), f"unknown ending {ending!r}")


def _check_model_ref(problem, path: tuple, ref: str, known_steps: KnownSteps) -> None:
    procedure, _, step = ref.partition(".")
    if not procedure or not step:
        problem(path, f"{ref!r} must be <procedure>.<step>")
    elif procedure not in known_steps:
        problem(path, f"unknown procedure {procedure!r}")
    elif step not in known_steps[procedure]:
        problem(path, f"procedure {procedure!r} has no step {step!r}")


def _successors(turn) -> Iterator[str]:
    if turn.kind == "choice":
        yield from (c.next for c in turn.choices if c.next)
    elif turn.next:
        yield turn.next


def _endings(turn) -> Iterator[str]:
    if turn.kind == "choice":
        yield from (c.ending for c in turn.choices if c.ending)
    elif turn.ending:
        yield turn.ending


def _reachable(scenario: Scenario) -> set[str]:
    seen: set[str] = set()
    stack = [scenario.start] if scenario.start in scenario.turns else []
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        stack.extend(n for n in _successors(scenario.turns[key]) if n in scenario.turns)
    return seen


def _can_finish(scenario: Scenario) -> set[str]:
    """Turns from which some sequence of moves reaches an ending (fixed point)."""
    done = {k for k, t in scenario.turns.items() if any(e in scenario.endings for e in _endings(t))}
    changed = True
    while changed:
        changed = False
        for key, turn in scenario.turns.items():
            if key not in done and any(n in done for n in _successors(turn)):
                done.add(key)
                changed = True
    return done


def walk_paths(scenario: Scenario, max_visits: int = 2) -> Iterator[list[tuple[str, int | None]]]:
    """Every way through the scene as [(turn key, choice index or None for a reply), …].

    A turn may be revisited (a customer who did not hear); `max_visits` bounds loops so
    the walk ends. The last move of each path leads to an ending.
    """

    def walk(turn_key: str, path: list, visits: dict[str, int]):
        if visits.get(turn_key, 0) >= max_visits:
            return
        visits = {**visits, turn_key: visits.get(turn_key, 0) + 1}
        turn = scenario.turns[turn_key]
        moves = range(len(turn.choices)) if turn.kind == "choice" else [None]
        for move in moves:
            step = [*path, (turn_key, move)]
            nxt, ending = next_of(turn, move)
            if ending:
                yield step
            elif nxt:
                yield from walk(nxt, step, visits)

    yield from walk(scenario.start, [], {})


def next_of(turn, choice_index: int | None) -> tuple[str | None, str | None]:
    """(next turn, ending) after `choice_index` (choice turns) or the reply (reply turns)."""
    if turn.kind == "choice":
        choice = turn.choices[choice_index]
        return choice.next, choice.ending
    return turn.next, turn.ending
