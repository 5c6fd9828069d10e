"""Issue 13's attack, replayed through HTTP: a trainee submits every practice quiz blank many
times and opens every review and result page the UI links to, collecting each right answer
shown. None of them may belong to a question the pre-job or the final exam can draw."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from trainer.extensions import db as _db
from trainer.quizzes.drawing import may_draw
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.models import Attempt, Purpose, Question, Quiz
from trainer.quizzes.quiz_setup import in_category
from trainer.quizzes.services import load_responses

ROUNDS = 6  # blank submissions of every practice quiz
ITEM = re.compile(r'data-testid="review-item"(.*?)</article>', re.S)
CORRECT = re.compile(r'data-testid="correct-answer">(.*?)</dd>', re.S)
LINK = re.compile(r'href="(/(?:quizzes|attempts)[^"#]*)"')


def exam_question_ids() -> set[int]:
    """Every question the pre-job or the final exam can put in front of a trainee."""
    questions = db_questions()
    ids = set()
    for quiz in db_quizzes(Purpose.PRE_JOB, Purpose.FINAL):
        for rule in quiz.rules:
            if rule.question_id is not None:
                ids.add(rule.question_id)
            else:
                ids |= {
                    q.id
                    for q in questions
                    if in_category(q.category, rule.category) and may_draw(quiz.purpose, q.usage)
                }
    return ids


def db_questions():
    return _db.session.scalars(select(Question)).all()


def db_quizzes(*purposes):
    return _db.session.scalars(select(Quiz).where(Quiz.purpose.in_(purposes))).all()


@pytest.fixture
def library(db, programme):
    load_question_banks()
    db.session.commit()


def harvest(client, db, user) -> dict[int, set[str]]:
    """question id → right answers seen, from every page a trainee's UI links to."""
    practice = db_quizzes(Purpose.PRACTICE)
    assert len(practice) >= 10
    for _ in range(ROUNDS):
        for quiz in practice:
            started = client.post(f"/quizzes/{quiz.id}/start")
            assert started.status_code == 302 and "/attempts/" in started.location, quiz.key
            attempt_id = int(started.location.rstrip("/").split("/")[-1])
            done = client.post(f"/attempts/{attempt_id}/submit", data={})
            assert done.status_code == 303
    seen: dict[int, set[str]] = {}
    queue, visited = ["/", "/quizzes"], set()
    while queue:
        url = queue.pop()
        if url in visited:
            continue
        visited.add(url)
        page = client.get(url, follow_redirects=True)
        html = page.get_data(as_text=True)
        queue += [unescape(u) for u in LINK.findall(html) if unescape(u) not in visited]
        if match := re.fullmatch(r"/attempts/(\d+)/review", url):
            attempt = db.session.get(Attempt, int(match.group(1)))
            responses = load_responses(attempt)
            items = ITEM.findall(html)
            assert len(items) == len(responses), url
            for response, item in zip(responses, items, strict=True):
                for answer in CORRECT.findall(item):
                    seen.setdefault(response.version.question_id, set()).add(answer.strip())
    reviews = [u for u in visited if u.endswith("/review")]
    assert len(reviews) >= ROUNDS * len(practice)  # every attempt's review was opened
    return seen


def test_harvesting_every_practice_review_yields_no_exam_key(
    db, library, client, login_as, trainee_in_training
):
    login_as(trainee_in_training.user)
    seen = harvest(client, db, trainee_in_training.user)
    assert len(seen) >= 100  # the attack still collects the practice keys …
    leaked = set(seen) & exam_question_ids()
    assert leaked == set()  # … but not one key of a question the exams can draw
