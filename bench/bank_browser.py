"""The bank browser with 5,000 questions: list page p95 — target < 150 ms on SQLite.

    .venv/bin/python bench/bank_browser.py [--questions 5000 --requests 200]

Builds a throwaway SQLite database with a bank of N questions (several versions, tags, three
usages, a category tree), logs a trainer in, and times GET /manage/questions through the
app (Flask's test client: routing, the SQL, the template) for a mix of views a trainer uses:
the first page, a deep page, a text search, category/type/usage/tag filters, "never used",
and the facility bands (item analysis's proportion correct over --attempts graded attempts of
20 questions each).
Prints each view's median and p95, the overall p95 and the load average.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer import create_app  # noqa: E402
from trainer.accounts.services import create_user  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.permissions import Role  # noqa: E402
from trainer.quizzes.models import (  # noqa: E402
    Attempt,
    AttemptState,
    Purpose,
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
    Quiz,
    Response,
    Usage,
)
from trainer.training.services import get_or_create_programme  # noqa: E402

CATEGORIES = [
    f"{top}/{leaf}"
    for top in ("procedures", "norms", "phrases", "complaints")
    for leaf in ("open_account", "sim_replacement", "billing", "broadband", "closure", "transfer")
]
TAGS = ["实名制", "首问负责", "禁语", "投诉", "携号转网", "反诈", "隐私", "礼仪"]
TYPES = ["single_choice", "multiple_choice", "true_false", "short_answer"]
VIEWS = {
    "first page": "/manage/questions",
    "page 40": "/manage/questions?page=40",
    "text search": "/manage/questions?q=%E5%AE%A2%E6%88%B7%E8%A6%81%E6%B1%82",  # 客户要求
    "category": "/manage/questions?category=procedures",
    "type+usage": "/manage/questions?type=true_false&usage=exam",
    "tag": "/manage/questions?tag=%E7%A6%81%E8%AF%AD",
    "never used": "/manage/questions?never_used=1&sort=changed",
    "facility <30%": "/manage/questions?facility=low",
    "facility none": "/manage/questions?facility=none&sort=oldest",
    "hardest first": "/manage/questions?sort=hardest",
}


def payload(kind: str) -> dict:
    if kind == "true_false":
        return {"answer": True}
    if kind == "short_answer":
        return {"answers": [{"text": "身份证", "fraction": 1}]}
    weights = [1, 0, 0] if kind == "single_choice" else [0.5, 0.5, -1]
    return {"choices": [{"text": f"选项{i}", "fraction": w} for i, w in enumerate(weights)]}


def fill(count: int, rng: random.Random) -> None:
    bank = QuestionBank(name="bench", title="基准题库")
    db.session.add(bank)
    db.session.flush()
    usages = list(Usage)
    ids = (
        db.session.execute(
            insert(Question).returning(Question.id),
            [
                {
                    "bank_id": bank.id,
                    "key": f"q{n}",
                    "category": rng.choice(CATEGORIES),
                    "usage": rng.choice(usages),
                }
                for n in range(count)
            ],
        )
        .scalars()
        .all()
    )
    versions, tags = [], []
    for qid in ids:
        kind = rng.choice(TYPES)
        for number in range(1, rng.choice((1, 1, 2, 3)) + 1):
            versions.append(
                {
                    "question_id": qid,
                    "number": number,
                    "type": kind,
                    "title": "",
                    "text": f"第{qid}题：客户要求{rng.choice(TAGS)}时，窗口人员应当怎样做？"
                    f"（版本{number}）",
                    "text_format": "plain",
                    "general_feedback": "",
                    "points": 1.0,
                    "payload": payload(kind),
                }
            )
        tags += [{"question_id": qid, "tag": t} for t in rng.sample(TAGS, rng.choice((0, 1, 2)))]
    db.session.execute(insert(QuestionVersion), versions)
    db.session.execute(insert(QuestionTag), tags)
    db.session.commit()


def fill_attempts(attempts: int, rng: random.Random, user_id: int) -> int:
    """`attempts` graded attempts of 20 questions drawn from the first 60 % of the bank (so a
    "no data" band remains), each answer right with the question's own probability."""
    programme = get_or_create_programme("bench", "基准培训")
    quiz = Quiz(key="bench", programme=programme, title="基准练习", purpose=Purpose.PRACTICE)
    db.session.add(quiz)
    db.session.flush()
    newest = db.session.execute(
        select(QuestionVersion.question_id, db.func.max(QuestionVersion.id)).group_by(
            QuestionVersion.question_id
        )
    ).all()
    drawn = newest[: int(len(newest) * 0.6)]
    easiness = {qid: rng.random() for qid, _vid in drawn}
    attempt_ids = (
        db.session.execute(
            insert(Attempt).returning(Attempt.id),
            [
                {
                    "quiz_id": quiz.id,
                    "user_id": user_id,
                    "number": n + 1,
                    "state": AttemptState.GRADED,
                    "max_score": 20.0,
                }
                for n in range(attempts)
            ],
        )
        .scalars()
        .all()
    )
    responses = [
        {
            "attempt_id": attempt_id,
            "slot": slot,
            "question_version_id": vid,
            "layout": {},
            "score": 1.0 if rng.random() < easiness[qid] else 0.0,
        }
        for attempt_id in attempt_ids
        for slot, (qid, vid) in enumerate(rng.sample(drawn, 20))
    ]
    db.session.execute(insert(Response), responses)
    db.session.commit()
    return len(responses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200, help="per view")
    parser.add_argument("--attempts", type=int, default=2000, help="graded, 20 answers each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SECRET_KEY": "bench-secret",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "RATELIMIT_STORAGE_URI": "memory://",
                "INSTANCE_FILES": tmp,
            }
        )
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            fill(args.questions, random.Random(7))
            trainer = create_user(
                None,
                roles={Role.TRAINER},
                employee_no="T9001",
                name="培训师",
                password="bench-password-1",
            )
            db.session.commit()
            answers = fill_attempts(args.attempts, random.Random(11), trainer.id)
            total = db.session.scalar(select(db.func.count(Question.id)))
            print(
                f"filled {total} questions, {answers} graded answers "
                f"in {time.perf_counter() - started:.1f} s"
            )
        client = app.test_client()
        login = client.post("/login", data={"employee_no": "T9001", "password": "bench-password-1"})
        assert login.status_code == 302, login.status_code
        every = []
        print(f"{'view':<14} {'median ms':>10} {'p95 ms':>8}")
        for name, url in VIEWS.items():
            client.get(url)  # warm the caches and compiled templates
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            every += times
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"{name:<14} {statistics.median(times):>10.1f} {p95:>8.1f}")
        p95 = statistics.quantiles(every, n=20)[-1]
        verdict = "OK" if p95 < 150 else "SLOW"
        print(f"overall p95 {p95:.1f} ms (target < 150 ms): {verdict}")
        one, five, fifteen = os.getloadavg()
        print(f"load average (1, 5, 15 min): {one:.2f} {five:.2f} {fifteen:.2f}")


if __name__ == "__main__":
    main()
