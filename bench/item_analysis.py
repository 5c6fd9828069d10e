"""Item analysis of 100,000 responses: load from the database, pivot, compute — target < 1 s.

    .venv/bin/python bench/item_analysis.py [--attempts 2000 --questions 50] [--db URL]

Builds a throwaway database (SQLite in a temp dir unless --db gives e.g.
postgresql://postgres@127.0.0.1:5432/test, where a fresh database is created and dropped),
fills it with graded attempts of simulated trainees whose chance of a right answer rises
with their ability, then times the report the trainer's page and the CLI run.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import fresh_database  # noqa: E402  (bench/harness.py)

from trainer import clock, create_app  # noqa: E402
from trainer.accounts.models import User  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.quizzes.models import (  # noqa: E402
    Attempt,
    AttemptState,
    Purpose,
    Question,
    QuestionBank,
    QuestionVersion,
    Quiz,
    Response,
)
from trainer.reports.quiz_facts import analyse_quiz  # noqa: E402
from trainer.training.models import Programme  # noqa: E402


def fill(attempts: int, questions: int, seed: int = 7) -> int:
    rng = np.random.default_rng(seed)
    now = clock.now()
    programme = Programme(code="bench", name="bench")
    bank = QuestionBank(name="bench", title="bench")
    db.session.add_all([programme, bank])
    db.session.flush()
    quiz = Quiz(key="bench", programme_id=programme.id, title="基准测试", purpose=Purpose.FINAL)
    db.session.add(quiz)
    db.session.flush()
    choices = [{"text": t, "fraction": f} for t, f in (("对", 1), ("错", 0), ("不确定", 0))]
    question_ids, version_ids = [], []
    for q in range(questions):
        question = Question(bank_id=bank.id, key=f"q{q}", category="procedures")
        db.session.add(question)
        db.session.flush()
        version = QuestionVersion(
            question_id=question.id,
            number=1,
            type="single_choice",
            title=f"第{q + 1}题",
            text="……",
            points=1.0,
            payload={"choices": choices},
        )
        db.session.add(version)
        db.session.flush()
        question_ids.append(question.id)
        version_ids.append(version.id)
    db.session.execute(
        insert(User),
        [
            {
                "employee_no": f"B{i:06d}",
                "name": f"学员{i}",
                "password_hash": "x",
                "session_token": "t",
            }
            for i in range(attempts)
        ],
    )
    user_ids = [
        row[0]
        for row in db.session.execute(
            text("SELECT id FROM \"user\" WHERE employee_no LIKE 'B%' ORDER BY id")
        )
    ]
    ability = rng.normal(0, 1, attempts)
    difficulty = rng.normal(0, 1, questions)
    right = rng.random((attempts, questions)) < 1 / (1 + np.exp(-(ability[:, None] - difficulty)))
    db.session.execute(
        insert(Attempt),
        [
            {
                "quiz_id": quiz.id,
                "user_id": uid,
                "number": 1,
                "state": AttemptState.GRADED,
                "started_at": now,
                "submitted_at": now,
                "graded_at": now,
                "score": float(right[i].sum()),
                "max_score": float(questions),
                "percent": float(100 * right[i].mean()),
                "passed": bool(right[i].mean() >= 0.8),
            }
            for i, uid in enumerate(user_ids)
        ],
    )
    attempt_ids = [
        row[0]
        for row in db.session.execute(
            text("SELECT id FROM attempt WHERE quiz_id = :q ORDER BY user_id"), {"q": quiz.id}
        )
    ]
    rows = []
    for i, attempt_id in enumerate(attempt_ids):
        for j in range(questions):
            ok = bool(right[i, j])
            rows.append(
                {
                    "attempt_id": attempt_id,
                    "slot": j + 1,
                    "question_version_id": version_ids[j],
                    "layout": {"order": [0, 1, 2]},
                    "answer": {"value": 0 if ok else int(rng.integers(1, 3))},
                    "fraction": 1.0 if ok else 0.0,
                    "score": 1.0 if ok else 0.0,
                }
            )
    for start in range(0, len(rows), 20_000):
        db.session.execute(insert(Response), rows[start : start + 20_000])
    db.session.commit()
    return quiz.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", help="database URL (default: SQLite in a temp dir)")
    args = parser.parse_args()

    drop = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.db and args.db.startswith("postgresql"):
            url, drop = fresh_database("postgresql", args.db, Path(), "bench_items")
        else:
            url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench-secret",
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
        try:
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                quiz_id = fill(args.attempts, args.questions)
                print(
                    f"database: {db.engine.dialect.name}; filled "
                    f"{args.attempts * args.questions:,} responses "
                    f"({args.attempts:,} attempts × {args.questions} questions) in "
                    f"{time.perf_counter() - started:.1f} s"
                )
                quiz = db.session.get(Quiz, quiz_id)
                for label, with_answers in (
                    ("items (facility, SD, discrimination, alpha)", False),
                    ("items + per-answer frequencies", True),
                ):
                    times = []
                    for _ in range(args.repeat):
                        db.session.expire_all()
                        started = time.perf_counter()
                        report = analyse_quiz(quiz, with_answers=with_answers)
                        times.append(time.perf_counter() - started)
                    print(
                        f"{label}: median {1000 * statistics.median(times):.0f} ms, "
                        f"best {1000 * min(times):.0f} ms over {args.repeat} runs "
                        f"(target < 1000 ms)"
                    )
                test = report.analysis.test
                print(
                    f"alpha {test.alpha:.3f}, SE {test.standard_error:.2f}, "
                    f"mean {test.mean:.1f}/{test.max_total:.0f}, "
                    f"items flagged {sum(bool(i.flags) for i in report.analysis.items)}"
                )
                db.session.remove()
                db.engine.dispose()
        finally:
            if drop:
                drop()


if __name__ == "__main__":
    main()
