"""Import a 10,000-question Moodle XML file: stream, validate, store. Target < 10 s on SQLite.

    .venv/bin/python bench/moodlexml_import.py [--questions 10000] [--db sqlite|postgresql]
                                               [--tracemalloc]

Writes a Moodle XML file with every supported type (multichoice single and multiple with
formats and feedback, true/false, short answer with wildcards, numerical with units and
"any other answer", matching with a distractor, ordering, essay with grader info, cloze with
embedded answers, one image per 50 questions) in categories of 500, then times the reader on
its own and the whole `trainer banks import` path into a fresh database, and an unchanged
re-import. Prints seconds, the peak memory (ru_maxrss; with --tracemalloc also the Python
heap peak of the read, slower) and the load average.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import fresh_database  # noqa: E402  (bench/harness.py)
from sqlalchemy import func, select  # noqa: E402

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)
HEAD = (
    '  <question type="{type}">\n    <name><text>{name}</text></name>\n'
    '    <questiontext format="{fmt}"><text><![CDATA[{text}]]></text>{file}</questiontext>\n'
    '    <generalfeedback format="html"><text>解析 {n}</text></generalfeedback>\n'
    "    <defaultgrade>1.0000000</defaultgrade>\n    <penalty>0.3333333</penalty>\n"
    "    <hidden>0</hidden>\n    <idnumber>b-{n}</idnumber>\n"
)
BODIES = [
    (
        "multichoice",
        "<single>true</single>"
        '<answer fraction="100" format="html"><text><![CDATA[<b>请稍等</b>]]></text>'
        '<feedback format="html"><text>对</text></feedback></answer>'
        '<answer fraction="0" format="html"><text>不知道</text>'
        '<feedback format="html"><text>禁语</text></feedback></answer>'
        '<answer fraction="-50" format="html"><text>你去问别人</text>'
        '<feedback format="html"><text></text></feedback></answer>',
    ),
    (
        "multichoice",
        "<single>false</single>"
        '<answer fraction="50"><text>您好</text><feedback><text></text></feedback></answer>'
        '<answer fraction="50"><text>请稍等</text><feedback><text></text></feedback></answer>'
        '<answer fraction="-100"><text>急什么</text>'
        "<feedback><text>扣分</text></feedback></answer>",
    ),
    (
        "truefalse",
        '<answer fraction="0"><text>true</text><feedback><text>错</text></feedback></answer>'
        '<answer fraction="100"><text>false</text><feedback><text>对</text></feedback></answer>',
    ),
    (
        "shortanswer",
        "<usecase>0</usecase>"
        '<answer fraction="100"><text>身份证</text><feedback><text></text></feedback></answer>'
        '<answer fraction="50"><text>居民*证</text><feedback><text></text></feedback></answer>'
        '<answer fraction="0"><text>*</text><feedback><text>不对</text></feedback></answer>',
    ),
    (
        "numerical",
        '<answer fraction="100"><text>3</text><tolerance>0.5</tolerance>'
        "<feedback><text></text></feedback></answer>"
        '<answer fraction="0"><text>*</text><tolerance>0</tolerance>'
        "<feedback><text>不对</text></feedback></answer>"
        "<units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit>"
        "<unit><multiplier>100</multiplier><unit_name>cm</unit_name></unit></units>"
        "<unitgradingtype>0</unitgradingtype>",
    ),
    (
        "matching",
        "<subquestion><text>不知道</text><answer><text>请稍等</text></answer></subquestion>"
        "<subquestion><text>快点</text><answer><text>请您稍候</text></answer></subquestion>"
        "<subquestion><text></text><answer><text>干扰项</text></answer></subquestion>",
    ),
    (
        "ordering",
        '<answer fraction="1"><text>实名核验</text></answer>'
        '<answer fraction="2"><text>选号</text></answer>'
        '<answer fraction="3"><text>签署协议</text></answer>',
    ),
    ("essay", '<graderinfo format="html"><text>致歉、倾听、核实</text></graderinfo>'),
    ("cloze", ""),
]


def question_xml(n: int) -> str:
    kind, body = BODIES[n % len(BODIES)]
    text = f"<p>第{n}题：客户问到不会的问题时应该怎么说？</p>"
    if kind == "cloze":
        text = f"<p>第{n}题：补卡须核验{{1:SHORTANSWER:=身份证原件~*#不对}}，"
        text += "{2:MULTICHOICE:=服务密码~验证码} 和 {1:NUMERICAL:=2:0}。</p>"
    file = ""
    if n % 50 == 0:
        text += f'<img src="@@PLUGINFILE@@/img{n}.png">'
        file = f'\n<file name="img{n}.png" path="/" encoding="base64">{PNG}</file>'
    head = HEAD.format(type=kind, name=f"题{n}", fmt="html", text=text, file=file, n=n)
    return head + "    " + body + "\n  </question>\n"


def make_xml(count: int) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    for n in range(count):
        if n % 500 == 0:
            parts.append(
                '  <question type="category"><category><text>$course$/top/bench/part'
                f"{n // 500}</text></category></question>\n"
            )
        parts.append(question_xml(n))
    parts.append("</quiz>\n")
    return "".join(parts)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the read's heap")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()

    from trainer import create_app
    from trainer.extensions import db
    from trainer.quizzes.bank_files import read_bank_file
    from trainer.quizzes.banks import import_bank_file
    from trainer.quizzes.models import QuestionAsset, QuestionVersion

    workdir = Path(tempfile.mkdtemp(prefix="xml_bench_"))
    path = workdir / "bank.xml"
    path.write_text(make_xml(args.questions), encoding="utf-8")
    print(
        f"{args.questions} questions, {path.stat().st_size / 1e6:.1f} MB of Moodle XML "
        f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)"
    )
    database_url, drop = fresh_database(args.db, args.pg_url, workdir, "xml_bench")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
        with app.app_context():
            db.create_all()
            if args.tracemalloc:
                tracemalloc.start()
            began, cpu = time.perf_counter(), time.process_time()
            with path.open("rb") as stream:
                bank_file = read_bank_file(stream, "moodlexml", str(path))
            heap = (
                f", heap peak {tracemalloc.get_traced_memory()[1] / 1e6:.0f} MB"
                if (args.tracemalloc)
                else ""
            )
            tracemalloc.stop()
            print(
                f"  stream + validate       {time.perf_counter() - began:6.2f} s wall "
                f"{time.process_time() - cpu:6.2f} s CPU  ({len(bank_file.questions)} questions"
                f"{heap})"
            )
            for label in ("import into empty bank", "re-import, unchanged"):
                began, cpu = time.perf_counter(), time.process_time()
                with path.open("rb") as stream:
                    bank_file = read_bank_file(stream, "moodlexml", str(path))
                summary = import_bank_file(None, "bench", bank_file, str(path))
                db.session.commit()
                print(
                    f"  {label:23} {time.perf_counter() - began:6.2f} s wall "
                    f"{time.process_time() - cpu:6.2f} s CPU  ({summary}) [{args.db}]"
                )
            versions = db.session.scalar(select(func.count()).select_from(QuestionVersion))
            assets = db.session.scalar(select(func.count()).select_from(QuestionAsset))
            print(f"  versions stored         {versions}, assets {assets}")
            print(
                f"  peak memory (ru_maxrss) {peak_rss_mb():6.0f} MB  "
                f"(load average {os.getloadavg()[0]:.2f})"
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
