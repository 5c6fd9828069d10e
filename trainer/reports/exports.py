"""Exports of results, attempts, drill findings, internship sign-offs and the certificate
register as CSV (UTF-8 with BOM, so Excel shows Chinese right) or XLSX (openpyxl).

Each dataset is one set-based query (joins and grouped subqueries, never a load per row) read
in partitions of `PARTITION` rows, so memory stays flat and the statement count does not grow
with the data (results and drill findings add a bounded read per partition). Files come in
two variants: for people, headers and values in the reader's language (stages, purposes and
grades by their labels, 是/否, local times); and `raw`, stable snake_case headers and codes for
scripts.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_pgettext
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import aliased

from trainer import clock
from trainer.accounts.models import Hall, User
from trainer.certificates.models import Certificate
from trainer.certificates.services import certificate_status
from trainer.db import as_utc
from trainer.extensions import db
from trainer.internship.models import Absence, Grade, Placement, PlanTask, SignOff
from trainer.internship.progress import SignOffFact, compute_progress
from trainer.internship.queries import task_spec
from trainer.quizzes.models import Attempt, AttemptState, Purpose, Quiz
from trainer.roleplay.models import (
    DrillSession,
    DrillStep,
    ElementOverride,
    Scenario,
    ScenarioVersion,
)
from trainer.spreadsheets import csv_stream, write_xlsx, xlsx_stream
from trainer.training.models import Cohort, Enrolment, Programme
from trainer.training.stages import Stage

FORMATS = ("csv", "xlsx")
PARTITION = 1000  # rows fetched at a time (and the bound of each per-partition IN list)


def _h(text: str):
    """A column header: translated in the "export" context, so it never clashes with a
    page's msgid of the same English."""
    return lazy_pgettext("export", text)


@dataclass(frozen=True)
class Column:
    key: str  # the raw header, stable for scripts
    title: object  # the translated header (a lazy string)
    kind: str = "text"  # text | bool | datetime | date | stage | purpose | state | grade | …


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object
    columns: tuple[Column, ...]
    rows: Callable[[int | None], Iterator[tuple]]
    count: Callable[[int | None], Select]  # a COUNT query: how big the file will be

    def header(self, raw: bool) -> list[str]:
        return [c.key if raw else str(c.title) for c in self.columns]

    def sheet_title(self, raw: bool) -> str:
        return self.name if raw else str(self.title)


# ---- values ----------------------------------------------------------------------------------


def _labels(labels: dict) -> Callable:
    """A lookup made once per file: each label is translated once, not once per row (a
    StrEnum member and its value hash alike, so codes and members both find their label)."""
    shown = {key: str(label) for key, label in labels.items()}
    return lambda v: shown.get(v, str(v))


def _bools() -> Callable:
    yes, no = str(lazy_pgettext("export", "Yes")), str(lazy_pgettext("export", "No"))
    return lambda v: yes if v else no


def _local_times() -> Callable:
    zone = clock.business_zone()
    return lambda v: as_utc(v).astimezone(zone).strftime("%Y-%m-%d %H:%M")


# kind → a factory called once per file, returning how a value of that kind is shown
DISPLAY: dict[str, Callable[[], Callable]] = {
    "bool": _bools,
    "stage": lambda: _labels({s: s.label for s in Stage}),
    "purpose": lambda: _labels(
        {
            Purpose.PRACTICE: _("Practice"),
            Purpose.PRE_JOB: _("Pre-job exam"),
            Purpose.FINAL: _("Final exam"),
            Purpose.REFRESHER: _("Refresher"),
        }
    ),
    "state": lambda: _labels(
        {
            AttemptState.IN_PROGRESS: lazy_pgettext("export", "In progress"),
            AttemptState.SUBMITTED: _("Awaiting grading"),
            AttemptState.GRADED: lazy_pgettext("export", "Graded"),
        }
    ),
    "grade": lambda: _labels({g: g.label for g in Grade}),
    "status": lambda: _labels(
        {"valid": _("Valid"), "expired": _("Expired"), "revoked": _("Revoked")}
    ),
    "finding": lambda: _labels(
        {
            "forbidden": lazy_pgettext("export", "Forbidden phrase"),
            "missing": lazy_pgettext("export", "Missing element"),
        }
    ),
    "datetime": _local_times,
    "date": lambda: date.isoformat,
    "percent": lambda: lambda v: round(v, 1),
}


def raw_value(value):
    """The machine-readable form: codes for enums, UTC times, True/False."""
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value") and hasattr(value, "name"):  # enums
        return value.value
    return value


def _formatter(dataset: Dataset, raw: bool) -> Callable[[tuple], list]:
    if raw:
        return lambda row: [raw_value(v) for v in row]
    shows = [DISPLAY[c.kind]() if c.kind in DISPLAY else None for c in dataset.columns]

    def display(row: tuple) -> list:
        return [
            None if v is None else (show(v) if show else raw_value(v))
            for show, v in zip(shows, row, strict=True)
        ]

    return display


# ---- datasets --------------------------------------------------------------------------------


def _in_cohort(user_id_column, cohort_id: int | None):
    """A subquery condition (never a list of ids) limiting rows to one cohort's trainees."""
    return user_id_column.in_(select(Enrolment.user_id).where(Enrolment.cohort_id == cohort_id))


def _partitions(query: Select) -> Iterator[list]:
    result = db.session.execute(query.execution_options(yield_per=PARTITION))
    yield from result.partitions()


RESULTS_COLUMNS = (
    Column("employee_no", _h("Employee number")),
    Column("name", _h("Name")),
    Column("hall", _h("Hall")),
    Column("cohort", _h("Cohort")),
    Column("stage", _h("Stage"), "stage"),
    Column("pre_job_best", _h("Best pre-job exam %"), "percent"),
    Column("pre_job_passed", _h("Pre-job exam passed"), "bool"),
    Column("final_best", _h("Best final exam %"), "percent"),
    Column("final_passed", _h("Final exam passed"), "bool"),
    Column("attempts", _h("Graded attempts")),
    Column("drills", _h("Drills finished")),
    Column("drill_mean", _h("Mean drill score %"), "percent"),
    Column("internship_percent", _h("Internship progress %")),
)


def _best(purpose: Purpose):
    return func.max(case((Quiz.purpose == purpose, Attempt.percent)))


def _passed(purpose: Purpose):
    return func.max(case((and_(Quiz.purpose == purpose, Attempt.passed.is_(True)), 1), else_=0))


def _results_query(cohort_id: int | None) -> Select:
    exams = (
        select(
            Attempt.user_id,
            func.count().label("attempts"),
            _best(Purpose.PRE_JOB).label("pre_job_best"),
            _passed(Purpose.PRE_JOB).label("pre_job_passed"),
            _best(Purpose.FINAL).label("final_best"),
            _passed(Purpose.FINAL).label("final_passed"),
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.state == AttemptState.GRADED)
        .group_by(Attempt.user_id)
    )
    drills = (
        select(
            DrillSession.user_id,
            func.count().label("drills"),
            func.avg(DrillSession.percent).label("drill_mean"),
        )
        .where(DrillSession.preview.is_(False), DrillSession.state == "finished")
        .group_by(DrillSession.user_id)
    )
    query = select(Enrolment.id).join(Cohort, Cohort.id == Enrolment.cohort_id)
    if cohort_id is not None:
        exams = exams.where(_in_cohort(Attempt.user_id, cohort_id))
        drills = drills.where(_in_cohort(DrillSession.user_id, cohort_id))
        query = query.where(Enrolment.cohort_id == cohort_id)
    exams, drills = exams.subquery(), drills.subquery()
    return (
        query.add_columns(
            User.employee_no,
            User.name,
            Hall.name,
            Cohort.name,
            Enrolment.stage,
            exams.c.pre_job_best,
            exams.c.pre_job_passed,
            exams.c.final_best,
            exams.c.final_passed,
            func.coalesce(exams.c.attempts, 0),
            func.coalesce(drills.c.drills, 0),
            drills.c.drill_mean,
        )
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Hall, Hall.id == User.hall_id)
        .outerjoin(exams, exams.c.user_id == Enrolment.user_id)
        .outerjoin(drills, drills.c.user_id == Enrolment.user_id)
        .order_by(Cohort.start_date, Cohort.id, User.name, User.employee_no)
    )


class InternshipPercents:
    """Internship progress of a partition of enrolments: three bounded reads per partition
    (placements, absences, sign-offs); each plan's tasks are read once per export."""

    def __init__(self) -> None:
        self.tasks_by_plan: dict[int, list] = {}

    def __call__(self, enrolment_ids: list[int]) -> dict[int, int]:
        placements = db.session.execute(
            select(
                Placement.enrolment_id,
                Placement.plan_id,
                Placement.start_date,
                Programme.internship_days,
            )
            .join(Enrolment, Enrolment.id == Placement.enrolment_id)
            .join(Programme, Programme.id == Enrolment.programme_id)
            .where(Placement.enrolment_id.in_(enrolment_ids), Placement.active)
        ).all()
        if not placements:
            return {}
        self._load_tasks({p.plan_id for p in placements})
        ids = [p.enrolment_id for p in placements]
        absences: dict[int, list] = defaultdict(list)
        for enrolment_id, day in db.session.execute(
            select(Absence.enrolment_id, Absence.day).where(Absence.enrolment_id.in_(ids))
        ):
            absences[enrolment_id].append(day)
        facts: dict[int, list] = defaultdict(list)
        for enrolment_id, task_id, grade, withdrawn_at in db.session.execute(
            select(
                SignOff.enrolment_id, SignOff.task_id, SignOff.grade, SignOff.withdrawn_at
            ).where(SignOff.enrolment_id.in_(ids))
        ):
            facts[enrolment_id].append(
                SignOffFact(task_id, grade.successful, withdrawn_at is not None)
            )
        today = clock.today()
        return {
            p.enrolment_id: compute_progress(
                start=p.start_date,
                today=today,
                internship_days=p.internship_days,
                absences=absences[p.enrolment_id],
                tasks=self.tasks_by_plan[p.plan_id],
                sign_offs=facts[p.enrolment_id],
            ).percent
            for p in placements
        }

    def _load_tasks(self, plan_ids: set[int]) -> None:
        missing = plan_ids - set(self.tasks_by_plan)
        if not missing:
            return
        for plan_id in missing:
            self.tasks_by_plan[plan_id] = []
        for task in db.session.scalars(
            select(PlanTask).where(PlanTask.plan_id.in_(missing), PlanTask.retired.is_(False))
        ):
            self.tasks_by_plan[task.plan_id].append(task_spec(task))


def results_rows(cohort_id: int | None) -> Iterator[tuple]:
    percents = InternshipPercents()
    for part in _partitions(_results_query(cohort_id)):
        progress = percents([row[0] for row in part])
        for row in part:
            enrolment_id, *values = row
            values[6], values[8] = bool(values[6]), bool(values[8])  # passed (1/0/None)
            values[11] = None if values[11] is None else float(values[11])  # drill_mean
            yield (*values, progress.get(enrolment_id))


def results_count(cohort_id: int | None) -> Select:
    query = select(func.count()).select_from(Enrolment).where(Enrolment.cohort_id.is_not(None))
    return query if cohort_id is None else query.where(Enrolment.cohort_id == cohort_id)


ATTEMPTS_COLUMNS = (
    Column("attempt", _h("Attempt")),
    Column("employee_no", _h("Employee number")),
    Column("name", _h("Name")),
    Column("quiz", _h("Quiz")),
    Column("purpose", _h("Purpose"), "purpose"),
    Column("number", _h("Attempt number")),
    Column("state", _h("State"), "state"),
    Column("started_at", _h("Started at"), "datetime"),
    Column("submitted_at", _h("Submitted at"), "datetime"),
    Column("score", _h("Score")),
    Column("max_score", _h("Maximum score")),
    Column("percent", _h("Score %"), "percent"),
    Column("passed", _h("Passed"), "bool"),
    Column("auto_submitted", _h("Submitted automatically"), "bool"),
)


def _attempts_filter(query: Select, cohort_id: int | None) -> Select:
    query = query.where(Attempt.state != AttemptState.IN_PROGRESS)
    return query if cohort_id is None else query.where(_in_cohort(Attempt.user_id, cohort_id))


# The export's columns after the quiz's: the Attempt attributes of the same names.
_ATTEMPT_FIELDS = [column.key for column in ATTEMPTS_COLUMNS[5:]]


def attempts_rows(cohort_id: int | None) -> Iterator[tuple]:
    query = (
        select(
            Attempt.id,
            User.employee_no,
            User.name,
            Quiz.title,
            Quiz.purpose,
            *(getattr(Attempt, field) for field in _ATTEMPT_FIELDS),
        )
        .join(User, User.id == Attempt.user_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .order_by(Attempt.id)
    )
    for part in _partitions(_attempts_filter(query, cohort_id)):
        yield from (tuple(row) for row in part)


def attempts_count(cohort_id: int | None) -> Select:
    return _attempts_filter(select(func.count()).select_from(Attempt), cohort_id)


FINDINGS_COLUMNS = (
    Column("session", _h("Drill")),
    Column("employee_no", _h("Employee number")),
    Column("name", _h("Name")),
    Column("scenario", _h("Scenario key")),
    Column("title", _h("Scenario")),
    Column("version", _h("Version")),
    Column("turn", _h("Turn")),
    Column("finding", _h("Finding"), "finding"),
    Column("item", _h("Phrase or element")),
    Column("matched", _h("Words matched")),
    Column("alternative", _h("What to say instead")),
    Column("reply", _h("Reply")),
    Column("points", _h("Points")),
    Column("max_points", _h("Maximum points")),
)


def _findings_filter(query: Select, cohort_id: int | None) -> Select:
    query = query.where(DrillSession.preview.is_(False), DrillStep.kind == "reply")
    return query if cohort_id is None else query.where(_in_cohort(DrillSession.user_id, cohort_id))


def drill_findings_rows(cohort_id: int | None) -> Iterator[tuple]:
    """One row per forbidden phrase said or rubric element missed (after overrides)."""
    query = (
        select(
            DrillSession.id,
            User.employee_no,
            User.name,
            Scenario.key,
            Scenario.title,
            ScenarioVersion.number,
            DrillStep.id,
            DrillStep.turn_key,
            DrillStep.reply_text,
            DrillStep.points,
            DrillStep.max_points,
            DrillStep.findings,
        )
        .join(DrillStep, DrillStep.session_id == DrillSession.id)
        .join(User, User.id == DrillSession.user_id)
        .join(ScenarioVersion, ScenarioVersion.id == DrillSession.scenario_version_id)
        .join(Scenario, Scenario.id == ScenarioVersion.scenario_id)
        .order_by(DrillSession.id, DrillStep.position)
    )
    for part in _partitions(_findings_filter(query, cohort_id)):
        overrides: dict[int, dict[str, bool]] = defaultdict(dict)
        for step_id, key, found in db.session.execute(
            select(
                ElementOverride.step_id, ElementOverride.element_key, ElementOverride.found
            ).where(ElementOverride.step_id.in_([row[6] for row in part]))
        ):
            overrides[step_id][key] = found
        for (
            session,
            no,
            name,
            key,
            title,
            version,
            step,
            turn,
            reply,
            points,
            most,
            findings,
        ) in part:
            base = (session, no, name, key, title, version, turn)
            tail = (reply or "", points, most)
            findings = findings or {}
            for hit in findings.get("forbidden", []):
                yield (
                    *base,
                    "forbidden",
                    hit["phrase"],
                    hit.get("matched", ""),
                    hit.get("alternative", ""),
                    *tail,
                )
            for element in findings.get("elements", []):
                if not overrides[step].get(element["key"], element["found"]):
                    label = element.get("label", element["key"])
                    yield (*base, "missing", label, "", "", *tail)


def drill_findings_count(cohort_id: int | None) -> Select:
    query = select(func.count()).select_from(DrillStep).join(DrillSession)
    return _findings_filter(query, cohort_id)


SIGN_OFF_COLUMNS = (
    Column("sign_off", _h("Sign-off")),
    Column("employee_no", _h("Employee number")),
    Column("name", _h("Name")),
    Column("task", _h("Task")),
    Column("observed_on", _h("Observed on"), "date"),
    Column("mentor", _h("Mentor")),
    Column("rating", _h("Rating (1–5)")),
    Column("grade", _h("Grade"), "grade"),
    Column("comment", _h("Comment")),
    Column("signed_at", _h("Signed at"), "datetime"),
    Column("withdrawn_at", _h("Withdrawn at"), "datetime"),
    Column("withdrawal_reason", _h("Reason for withdrawal")),
    Column("countersigned_at", _h("Countersigned at"), "datetime"),
)


# The export's columns after the mentor's: the SignOff attributes of the same names.
_SIGN_OFF_FIELDS = [column.key for column in SIGN_OFF_COLUMNS[6:]]


def _sign_offs_filter(query: Select, cohort_id: int | None) -> Select:
    return query if cohort_id is None else query.where(Enrolment.cohort_id == cohort_id)


def sign_offs_rows(cohort_id: int | None) -> Iterator[tuple]:
    trainee, mentor = aliased(User), aliased(User)
    query = (
        select(
            SignOff.id,
            trainee.employee_no,
            trainee.name,
            PlanTask.title,
            SignOff.observed_on,
            mentor.name,
            *(getattr(SignOff, field) for field in _SIGN_OFF_FIELDS),
        )
        .join(Enrolment, Enrolment.id == SignOff.enrolment_id)
        .join(trainee, trainee.id == Enrolment.user_id)
        .join(PlanTask, PlanTask.id == SignOff.task_id)
        .join(mentor, mentor.id == SignOff.mentor_id)
        .order_by(SignOff.id)
    )
    for part in _partitions(_sign_offs_filter(query, cohort_id)):
        yield from (tuple(row) for row in part)


def sign_offs_count(cohort_id: int | None) -> Select:
    query = select(func.count()).select_from(SignOff).join(Enrolment)
    return _sign_offs_filter(query, cohort_id)


CERTIFICATE_COLUMNS = (
    Column("serial", _h("Serial number")),
    Column("employee_no", _h("Employee number")),
    Column("name", _h("Name")),
    Column("hall", _h("Hall")),
    Column("programme", _h("Programme")),
    Column("issued_on", _h("Issued on"), "date"),
    Column("expires_on", _h("Expires on"), "date"),
    Column("status", _h("Status"), "status"),
    Column("superseded", _h("Replaced by a newer certificate"), "bool"),
    Column("revoked_at", _h("Revoked at"), "datetime"),
    Column("revocation_reason", _h("Reason for revocation")),
)


def _certificates_filter(query: Select, cohort_id: int | None) -> Select:
    if cohort_id is None:
        return query
    return query.join(Enrolment, Certificate.enrolment_id == Enrolment.id).where(
        Enrolment.cohort_id == cohort_id
    )


def certificates_rows(cohort_id: int | None) -> Iterator[tuple]:
    """The certificate register; the verification code stays out (it proves possession)."""
    query = select(
        Certificate.serial,
        Certificate.employee_no,
        Certificate.holder_name,
        Certificate.hall_name,
        Certificate.programme_name,
        Certificate.issued_on,
        Certificate.expires_on,
        Certificate.revoked_at,
        Certificate.superseded_by_id,
        Certificate.revocation_reason,
    ).order_by(Certificate.year, Certificate.sequence)
    today = clock.today()
    for part in _partitions(_certificates_filter(query, cohort_id)):
        for c in part:
            yield (
                *c[:7],
                certificate_status(c, today),
                c.superseded_by_id is not None,
                c.revoked_at,
                c.revocation_reason,
            )


def certificates_count(cohort_id: int | None) -> Select:
    return _certificates_filter(select(func.count()).select_from(Certificate), cohort_id)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("results", _h("Results"), RESULTS_COLUMNS, results_rows, results_count),
        Dataset("attempts", _h("Attempts"), ATTEMPTS_COLUMNS, attempts_rows, attempts_count),
        Dataset(
            "drill_findings",
            _h("Drill findings"),
            FINDINGS_COLUMNS,
            drill_findings_rows,
            drill_findings_count,
        ),
        Dataset("sign_offs", _h("Sign-offs"), SIGN_OFF_COLUMNS, sign_offs_rows, sign_offs_count),
        Dataset(
            "certificates",
            _h("Certificate register"),
            CERTIFICATE_COLUMNS,
            certificates_rows,
            certificates_count,
        ),
    )
}


def dataset(name: str) -> Dataset:
    if name not in DATASETS:
        raise KeyError(name)
    return DATASETS[name]


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format: {fmt} is not one of {', '.join(FORMATS)}")


def row_count(name: str, cohort_id: int | None = None) -> int:
    """How many rows (drill findings: replies) the export will read: decides inline or job."""
    return db.session.scalar(dataset(name).count(cohort_id)) or 0


def formatted_rows(name: str, cohort_id: int | None, raw: bool) -> Iterable[list]:
    data = dataset(name)
    fmt_row = _formatter(data, raw)
    return (fmt_row(row) for row in data.rows(cohort_id))


def stream_dataset(
    name: str, fmt: str, cohort_id: int | None = None, raw: bool = False
) -> Iterator[bytes]:
    """The file in pieces, for a streamed response (CSV row by row; XLSX via a temp file)."""
    _check_format(fmt)
    data = dataset(name)
    rows = formatted_rows(name, cohort_id, raw)
    if fmt == "csv":
        return csv_stream(data.header(raw), rows)
    return xlsx_stream(data.sheet_title(raw), data.header(raw), rows)


def write_dataset(
    target,
    name: str,
    fmt: str,
    cohort_id: int | None = None,
    raw: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the file to `target` (a binary file); returns the rows written. `progress` is
    called with the running row count every PARTITION rows."""
    _check_format(fmt)
    data = dataset(name)
    counted = RowCounter(formatted_rows(name, cohort_id, raw), progress)
    if fmt == "xlsx":
        write_xlsx(target, data.sheet_title(raw), data.header(raw), counted)
    else:
        for piece in csv_stream(data.header(raw), counted):
            target.write(piece)
    return counted.count


class RowCounter:
    """Passes rows through, counting them and reporting every PARTITION rows."""

    def __init__(self, rows: Iterable, progress: Callable[[int], None] | None) -> None:
        self.rows, self.progress, self.count = rows, progress, 0

    def __iter__(self) -> Iterator:
        for row in self.rows:
            self.count += 1
            if self.progress and self.count % PARTITION == 0:
                self.progress(self.count)
            yield row


def export_dataset(name: str, fmt: str, cohort_id: int | None = None, raw: bool = False) -> bytes:
    """The whole file as bytes (tests, small callers); pages and jobs stream instead."""
    return b"".join(stream_dataset(name, fmt, cohort_id=cohort_id, raw=raw))
