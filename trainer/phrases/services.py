"""The phrase engine over the phrases in the database: one automaton per phrase-set version."""

from collections.abc import Callable, Sequence
from threading import Lock

from flask import Flask, current_app
from sqlalchemy import func, select

from trainer.config import ROOT
from trainer.extensions import db
from trainer.phrases.engine import Findings, PhraseMatcher, PhraseRule, RequiredElement, check
from trainer.phrases.models import ForbiddenPhrase
from trainer.source_files import load_yaml

LIBRARY_PHRASES = ROOT / "scripts_library" / "phrases" / "forbidden.yaml"
_cache: dict[str, PhraseMatcher] = {}
_lock = Lock()


def rule_for(phrase: ForbiddenPhrase) -> PhraseRule:
    return PhraseRule(
        key=phrase.key,
        phrase=phrase.phrase,
        variants=tuple(phrase.variants),
        category=phrase.category,
        reason=phrase.reason,
        alternative=phrase.alternative,
        allowed_contexts=tuple(phrase.allowed_contexts),
    )


def phrase_set_version() -> str:
    """Changes whenever a phrase is added, removed or edited (every edit bumps `version`)."""
    count, total, last_id, last_change = db.session.execute(
        select(
            func.count(ForbiddenPhrase.id),
            func.coalesce(func.sum(ForbiddenPhrase.version), 0),
            func.max(ForbiddenPhrase.id),
            func.max(ForbiddenPhrase.updated_at),
        )
    ).one()
    return f"{count}:{total}:{last_id}:{last_change}"


def current_matcher() -> PhraseMatcher:
    """The matcher for the phrases now in the database, built once per phrase-set version."""
    version = phrase_set_version()
    matcher = _cache.get(version)
    if matcher is None:
        rows = db.session.scalars(
            select(ForbiddenPhrase).order_by(ForbiddenPhrase.position, ForbiddenPhrase.id)
        )
        matcher = PhraseMatcher([rule_for(row) for row in rows], version=version)
        with _lock:
            # only the newest version is ever used again (and the file's, kept apart)
            for stale in [k for k in _cache if not k.startswith("file:")]:
                del _cache[stale]
            _cache[version] = matcher
    return matcher


def library_matcher() -> PhraseMatcher:
    """The matcher of the repository's phrase file, for scoring before the library is loaded."""
    stamp = f"file:{LIBRARY_PHRASES.stat().st_mtime}"
    matcher = _cache.get(stamp)
    if matcher is None:
        data = load_yaml(LIBRARY_PHRASES.read_text(encoding="utf-8")) or {}
        rules = [
            PhraseRule(
                key=item["key"],
                phrase=item["phrase"],
                variants=tuple(item.get("variants") or ()),
                category=item.get("category", ""),
                reason=item.get("reason", ""),
                alternative=item.get("alternative", ""),
                allowed_contexts=tuple(item.get("allowed_contexts") or ()),
            )
            for item in data.get("phrases") or ()
        ]
        matcher = PhraseMatcher(rules, version=stamp)
        with _lock:
            _cache[stamp] = matcher
    return matcher


def scoring_matcher() -> PhraseMatcher:
    """The database's phrases, or the repository file's while none are loaded."""
    matcher = current_matcher()
    return matcher if len(matcher) else library_matcher()


def check_reply(text: str, elements: Sequence[RequiredElement] = ()) -> Findings:
    """Forbidden phrases in `text` (and which required elements it has) against the DB set."""
    return check(text, current_matcher(), elements)


# Role-play builds on this package, not the other way round: it hands its scenario lookup in
# (`provide_scenario_elements`) when the app is created; this package never imports it.
SCENARIO_ELEMENTS = "phrases.scenario_elements"
ScenarioElements = Callable[[str], Sequence[RequiredElement]]  # raises LookupError if unknown


class ScenariosUnavailable(LookupError):
    """The role-play feature (which owns scenarios) is not installed."""


def provide_scenario_elements(app: Flask, lookup: ScenarioElements) -> None:
    app.extensions[SCENARIO_ELEMENTS] = lookup


def elements_for_scenario(scenario: str) -> list[RequiredElement]:
    """A role-play scenario's required elements. Raises LookupError for an unknown scenario."""
    lookup = current_app.extensions.get(SCENARIO_ELEMENTS)
    if lookup is None:
        raise ScenariosUnavailable("role-play scenarios are not available")
    return list(lookup(scenario))


def check_text(text: str, scenario: str | None = None) -> Findings:
    """The issue's `check(text, scenario=None)`: forbidden phrases, plus the scenario's
    required elements present or missing when a scenario is given."""
    return check_reply(text, elements_for_scenario(scenario) if scenario else ())


def phrases_by_category() -> dict[str, list[ForbiddenPhrase]]:
    grouped: dict[str, list[ForbiddenPhrase]] = {}
    for phrase in db.session.scalars(
        select(ForbiddenPhrase).order_by(ForbiddenPhrase.position, ForbiddenPhrase.id)
    ):
        grouped.setdefault(phrase.category, []).append(phrase)
    return grouped


def get_phrase(key: str) -> ForbiddenPhrase | None:
    return db.session.scalar(select(ForbiddenPhrase).where(ForbiddenPhrase.key == key))
