"""Certificate speed and size: 200 PDFs rendered, then 1,000 issued in bulk.

    .venv/bin/python bench/certificates.py            # 200 renders + 1,000 bulk issuance
    .venv/bin/python bench/certificates.py --short    # 30 renders + 50 bulk (while developing)
    .venv/bin/python bench/certificates.py --queue    # bulk through RQ with 2 workers (Redis)

Targets: median ≤ 60 ms and ≤ 100 KB per certificate, fonts embedded; 1,000 certificates
issued in < 90 s on 2 cores. Uses a throwaway SQLite database and PDF directory. Prints
wall-clock and CPU milliseconds: on a shared machine the CPU figure is the fairer one.
"""

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer import clock, create_app  # noqa: E402
from trainer.accounts.services import create_hall, create_user  # noqa: E402
from trainer.certificates import fonts  # noqa: E402
from trainer.certificates.bulk import (  # noqa: E402
    enqueue_for_cohort,
    issue_for_cohort,
)
from trainer.certificates.documents import render_pdf  # noqa: E402
from trainer.certificates.models import Certificate, CertificateBatch  # noqa: E402
from trainer.certificates.services import (  # noqa: E402
    expiry_date,
    format_serial,
    new_verification_code,
)
from trainer.extensions import db  # noqa: E402
from trainer.permissions import Role  # noqa: E402
from trainer.training.models import Enrolment  # noqa: E402
from trainer.training.services import create_cohort, default_programme  # noqa: E402
from trainer.training.stages import Stage  # noqa: E402

NAMES = [
    "张伟",
    "王秀英",
    "李娜",
    "刘洋",
    "陈静",
    "杨帆",
    "赵敏",
    "黄磊",
    "周婷",
    "吴昊",
    "欧阳明珠",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def package_versions() -> str:
    import weasyprint

    versions = [f"Python {platform.python_version()}", f"WeasyPrint {weasyprint.__version__}"]
    for package in ("libpango-1.0-0", "libharfbuzz-subset0", "fonts-noto-cjk"):
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True
        )
        versions.append(f"{package} {out.stdout or '?'}")
    return ", ".join(versions)


def bench_render(count: int, workdir: Path) -> None:
    programme = default_programme()
    timings, cpu, sizes = [], [], []
    pdf = b""
    for n in range(count):
        today = clock.today()
        cert = Certificate(
            serial=format_serial(today.year, n + 1),
            verification_code=new_verification_code(),
            holder_name=NAMES[n % len(NAMES)],
            employee_no=f"E{n:05d}",
            hall_name="高新区旗舰营业厅",
            programme_name=programme.name,
            trainer_name="王培训",
            issued_on=today,
            expires_on=expiry_date(today, 730),
        )
        wall, proc = time.perf_counter(), time.process_time()
        pdf = render_pdf(cert)
        timings.append((time.perf_counter() - wall) * 1000)
        cpu.append((time.process_time() - proc) * 1000)
        sizes.append(len(pdf))
    # Calibration: a one-word page through the same renderer. On an idle machine it takes a
    # few ms; when the machine is shared, compare the certificate against this floor.
    from trainer.certificates.documents import font_dir
    from trainer.certificates.pdf import create_pdf

    floor = []
    for _ in range(30):
        proc = time.process_time()
        create_pdf("<p>x</p>", font_dir())
        floor.append((time.process_time() - proc) * 1000)
    sample = workdir / "sample.pdf"
    sample.write_bytes(pdf)
    fonts_listed = subprocess.run(["pdffonts", str(sample)], capture_output=True, text=True).stdout
    embedded = all(line.split()[-5] == "yes" for line in fonts_listed.splitlines()[2:])
    print(f"render  {count} certificates")
    print(
        f"  wall ms  median {statistics.median(timings):6.1f}   p95 {percentile(timings, 95):6.1f}"
    )
    print(f"  cpu  ms  median {statistics.median(cpu):6.1f}   p95 {percentile(cpu, 95):6.1f}")
    print(
        f"  size KB  median {statistics.median(sizes) / 1024:6.1f}   max {max(sizes) / 1024:6.1f}"
    )
    print(f"  fonts embedded: {'yes' if embedded else 'NO'}")
    print(f"  calibration: one-word page cpu ms median {statistics.median(floor):6.1f}")
    print(f"  load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for line in fonts_listed.splitlines()[2:]:
        print(f"    {line.split()[0]}")


def make_cohort_ready(count: int):
    trainer = create_user(
        None, employee_no="T9999", name="王培训", roles={Role.TRAINER}, password="bench-pass-1"
    )
    hall = create_hall(None, code="BENCH", name="高新区旗舰营业厅")
    cohort = create_cohort(
        trainer,
        name="压测班",
        programme=default_programme(),
        trainer=trainer,
        start_date=clock.today(),
    )
    for n in range(count):
        user = create_user(
            None,
            employee_no=f"B{n:05d}",
            name=NAMES[n % len(NAMES)],
            roles={Role.TRAINEE},
            password="bench-pass-1",
            hall=hall,
        )
        # Reached by the exam in real life; the bench measures issuance only.
        db.session.add(
            Enrolment(
                user=user, programme=cohort.programme, cohort=cohort, stage=Stage.FINAL_PASSED
            )
        )
    db.session.commit()
    return cohort, trainer


def bench_bulk(count: int, queue: bool, env: dict) -> None:
    cohort, trainer = make_cohort_ready(count)
    start, cpu_start = time.perf_counter(), time.process_time()
    children_start = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not queue:
        batch = issue_for_cohort(cohort, trainer)
    else:
        batch = enqueue_for_cohort(cohort, trainer)
        db.session.commit()
        workers = [
            subprocess.Popen(
                [str(Path(sys.executable).parent / "trainer"), "certs", "worker", "--burst"],
                env=env,
                cwd=Path(__file__).resolve().parent.parent,
            )
            for _ in range(2)
        ]
        for worker in workers:
            worker.wait()
        db.session.expire_all()
        batch = db.session.get(CertificateBatch, batch.id)
    seconds = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu_start
    cpu += (children.ru_utime + children.ru_stime) - (
        children_start.ru_utime + children_start.ru_stime
    )
    mode = "2 RQ workers" if queue else "inline, 1 process"
    print(f"bulk    {batch.done} issued, {batch.failed} failed of {batch.total} ({mode})")
    per = seconds / max(batch.total, 1) * 1000
    print(f"  wall {seconds:6.1f} s   per certificate {per:6.1f} ms")
    print(f"  cpu  {cpu:6.1f} s   (all processes; with 2 idle cores the queue's wall ≈ cpu / 2)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--short", action="store_true", help="30 renders, 50 bulk")
    parser.add_argument("--renders", type=int)
    parser.add_argument("--bulk", type=int)
    parser.add_argument("--queue", action="store_true", help="bulk via RQ (needs Redis)")
    args = parser.parse_args()
    renders = args.renders or (30 if args.short else 200)
    bulk = args.bulk if args.bulk is not None else (50 if args.short else 1000)

    workdir = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
    }
    config = {
        "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
        "REDIS_URL": env["REDIS_URL"] if args.queue else None,
    }
    app = create_app(config)
    print(package_versions())
    font = fonts.font_path("regular")
    print(
        f"font: {font} ({font.stat().st_size // 1024} KB)"
        if font.exists()
        else "font: subset missing (run `make install`): system Noto CJK fallback"
    )
    with app.app_context():
        db.create_all()
        bench_render(renders, workdir)
        if bulk:
            bench_bulk(bulk, args.queue, env)
    print(f"(work files in {workdir})")


if __name__ == "__main__":
    main()
