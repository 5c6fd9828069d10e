"""Role-play fixtures: a fixed forbidden-phrase set (so offsets in tests never drift with the
content team's list), the shipped scenarios loaded into the test database, and helpers."""

from pathlib import Path

import pytest

from trainer.phrases.engine import PhraseMatcher, PhraseRule
from trainer.phrases.models import ForbiddenPhrase
from trainer.roleplay import library_refs
from trainer.roleplay.services import load_scenarios, scenario_by_key

RULES = (
    PhraseRule(
        "dont_know",
        "不知道",
        ("我不知道",),
        "推诿",
        "推脱",
        "请稍等，我帮您查询一下。",
        ("您不知道的话",),
    ),
    PhraseRule("not_clear", "不清楚", (), "推诿", "推脱", "这个问题我帮您核实一下，请稍等。"),
    PhraseRule("no_way", "没办法", (), "推诿", "推脱", "我帮您想想办法。"),
    PhraseRule(
        "not_my_job", "不归我管", ("这不归我管",), "推诿", "推诿", "这个问题我来负责，我带您过去。"
    ),
    PhraseRule(
        "find_the_boss", "找领导去", ("去找领导",), "推诿", "推诿", "我请值班经理来为您处理。"
    ),
    PhraseRule("hurry_up", "快点", (), "催促", "催促", "您慢慢来，不着急。", ("我快点",)),
)


@pytest.fixture
def matcher() -> PhraseMatcher:
    return PhraseMatcher(RULES, version="test")


@pytest.fixture
def scenarios_dir() -> Path:
    return library_refs.SCENARIOS_DIR


@pytest.fixture
def loaded(db, scenarios_dir):
    """Every shipped scenario in the database."""
    load_scenarios(scenarios_dir)
    db.session.commit()


@pytest.fixture
def complaint(loaded):
    return scenario_by_key("complaint_overcharge_escalation")


def write_scenario(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def add_phrases(db) -> None:
    """The fixture rule set as forbidden phrases in the database (what the pages use)."""
    for position, rule in enumerate(RULES):
        db.session.add(
            ForbiddenPhrase(
                key=rule.key,
                phrase=rule.phrase,
                variants=list(rule.variants),
                category=rule.category,
                reason=rule.reason,
                alternative=rule.alternative,
                allowed_contexts=list(rule.allowed_contexts),
                position=position,
                content_hash=rule.key,
            )
        )
    db.session.commit()


@pytest.fixture
def phrases_in_db(db):
    add_phrases(db)
