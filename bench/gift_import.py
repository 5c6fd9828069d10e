"""Import a 10,000-question GIFT file: parse + validate + store, all-or-nothing. Target < 5 s.

    .venv/bin/python bench/gift_import.py [--questions 10000] [--db sqlite|postgresql]

Writes a GIFT file with every question type (titles, categories, weights, feedback,
matching, numerical ranges, true/false, essays, cloze, escapes), then times the parser on
its own and the whole `trainer banks import` path (parse, validate, insert in one
transaction) into a fresh database, and a second, unchanged import (idempotency check).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import fresh_database  # noqa: E402  (bench/harness.py)
from sqlalchemy import func, select  # noqa: E402

TEMPLATES = [
    "::单选{n}::客户问到不会的问题时（第{n}题）应该说？{{=请稍等，我帮您查询一下#对 ~不知道#禁语 "
    "~%50%我帮您问问同事 ~%-50%您自己看 ####首问负责制}}",
    "::多选{n}::下列哪些是服务用语（第{n}题）？{{~%50%您好 ~%50%让您久等了 ~%-100%急什么}}",
    "::判断{n}::第{n}题：可以对客户说“这不归我管”。{{F#错误#正确}}",
    "::简答{n}::第{n}题：开户须核验什么证件原件？{{=身份证 =居民身份证#对 =%50%证件}}",
    "::数值{n}::第{n}题：一证最多几个号码？{{#5:0}}",
    "::区间{n}::第{n}题：客户距离几米时目光接触？{{#2..4}}",
    "::配对{n}::第{n}题：禁语配对 {{=不知道 -> 请稍等 =快点 -> 您慢慢来 = -> 干扰项}}",
    "::论述{n}::第{n}题：写出投诉处理过程。{{}}",
    "::完形{n}::第{n}题：补卡须核验{{=身份证原件}}并确认{{~密码 =服务密码}}。",
    "::转义{n}::第{n}题：符号 \\{{ \\}} \\= \\~ \\# \\: 是普通字符吗？{{=是 ~不是}}",
]


def make_gift(count: int) -> str:
    blocks = []
    for n in range(count):
        if n % 500 == 0:
            blocks.append(f"$CATEGORY: bench/part{n // 500}")
        blocks.append(
            f"// @link open_account.verify_identity\n{TEMPLATES[n % len(TEMPLATES)].format(n=n)}"
        )
    return "\n\n".join(blocks) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()

    from trainer import create_app
    from trainer.extensions import db
    from trainer.quizzes.bank_files import read_bank
    from trainer.quizzes.banks import import_questions
    from trainer.quizzes.gift import parse_gift
    from trainer.quizzes.models import QuestionVersion

    workdir = Path(tempfile.mkdtemp(prefix="gift_bench_"))
    source = make_gift(args.questions)
    path = workdir / "bank.gift"
    path.write_text(source, encoding="utf-8")
    print(
        f"{args.questions} questions, {len(source.encode()) / 1e6:.1f} MB of GIFT "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )

    began, cpu = time.perf_counter(), time.process_time()
    parsed = parse_gift(source, str(path))
    print(
        f"  parse + validate        {time.perf_counter() - began:6.2f} s wall "
        f"{time.process_time() - cpu:6.2f} s CPU  ({len(parsed)} questions)"
    )

    database_url, drop = fresh_database(args.db, args.pg_url, workdir, "gift_bench")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
        with app.app_context():
            db.create_all()
            for label in ("import into empty bank", "re-import, unchanged"):
                began, cpu = time.perf_counter(), time.process_time()
                _meta, questions = read_bank(path.read_text(encoding="utf-8"), "gift", str(path))
                summary = import_questions(None, "bench", questions)
                db.session.commit()
                print(
                    f"  {label:23} {time.perf_counter() - began:6.2f} s wall "
                    f"{time.process_time() - cpu:6.2f} s CPU  ({summary}) [{args.db}]"
                )
            stored = db.session.scalar(select(func.count()).select_from(QuestionVersion))
            print(f"  versions stored         {stored}")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
