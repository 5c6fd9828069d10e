"""The shipped question banks and quizzes (question_banks/) load, validate and make sense."""

from collections import Counter

import yaml
from sqlalchemy import func, select

from trainer import ROOT
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.models import Purpose, Question, QuestionVersion, Quiz
from trainer.quizzes.question_types import question_types

TOPICS = {
    "procedures",
    "norms",
    "phrases",
    "forbidden_phrases",
    "conduct",
    "complaints",
    "first_inquiry",
}
PROCEDURES = {
    "open_account",
    "sim_replacement",
    "bill_payment",
    "plan_change",
    "broadband_install",
    "fault_report",
    "number_portability",
    "account_closure",
    "complaint_handling",
}


def test_library_loads_at_least_150_questions_of_every_type(db, programme):
    load_question_banks()
    versions = db.session.scalars(select(QuestionVersion)).all()
    assert len(versions) >= 150
    assert set(Counter(v.type for v in versions)) == set(question_types()) - {"roleplay"}


def test_every_topic_and_procedure_has_questions(db, programme):
    load_question_banks()
    categories = set(db.session.scalars(select(Question.category)))
    assert {c.split("/")[0] for c in categories} >= TOPICS
    assert {f"procedures/{p}" for p in PROCEDURES} <= categories


def test_every_question_links_to_a_procedure_step_or_module_page(db, programme):
    steps = set()
    for path in (ROOT / "scripts_library" / "procedures").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        steps |= {f"{doc['key']}.{s['key']}" for s in doc["steps"]}
    for path in (ROOT / "scripts_library" / "modules").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        steps |= {f"{doc['key']}.{p['key']}" for p in doc.get("pages", [])}
    load_question_banks()
    links = set(db.session.scalars(select(QuestionVersion.link)))
    assert None not in links and links <= steps, links - steps


def test_loading_twice_changes_nothing(db, programme):
    load_question_banks()
    load_question_banks()
    assert db.session.scalar(
        select(func.count()).select_from(QuestionVersion)
    ) == db.session.scalar(select(func.count()).select_from(Question))


def test_the_programme_gets_its_exams_and_practice_quizzes(db, programme):
    load_question_banks()
    purposes = Counter(q.purpose for q in db.session.scalars(select(Quiz)))
    assert purposes[Purpose.PRE_JOB] == 1 and purposes[Purpose.FINAL] == 1
    assert purposes[Purpose.PRACTICE] >= 3 and purposes[Purpose.REFRESHER] == 1
