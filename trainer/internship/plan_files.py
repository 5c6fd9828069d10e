"""Plan template files (scripts_library/internship/*.yaml): parsing and validation.

Every problem is reported with its file, line and field, all at once, so one pass fixes a
file. Procedure references (`procedure: open_account`, checklist `ref: open_account.step`)
are checked against scripts_library/procedures/ when that directory holds procedures.
The format is documented in scripts_library/internship/README.md.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from trainer.config import ROOT
from trainer.source_files import Problem, SourceDocument, SourceFileError, load_yaml, parse_yaml

PLANS_DIR = ROOT / "scripts_library" / "internship"
PROCEDURES_DIR = ROOT / "scripts_library" / "procedures"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,79}$")
PLAN_FIELDS = {"key", "title", "programme", "description", "weeks"}
WEEK_FIELDS = {"week", "title", "tasks"}
TASK_FIELDS = {
    "key",
    "title",
    "description",
    "procedure",
    "required",
    "observations",
    "duty_manager",
    "checklist",
}


class PlanFileError(SourceFileError):
    """A plan file was refused; `problems` lists every problem in it."""


@dataclass
class TaskData:
    key: str
    title: str
    week: int
    week_title: str
    position: int
    description: str
    procedure_key: str | None
    required: bool
    observations_needed: int
    needs_duty_manager: bool
    checklist: list[dict]


@dataclass
class PlanData:
    key: str
    title: str
    programme_code: str | None
    description: str
    source_name: str
    source_text: str
    tasks: list[TaskData] = field(default_factory=list)


def known_procedures(directory: Path = PROCEDURES_DIR) -> dict[str, set[str]] | None:
    """{procedure key: {step keys}} from the procedures directory; None when there is none yet.

    Reads the files rather than the database, so plans validate before anything is loaded.
    A procedure file that does not parse is the procedures loader's to report, not ours.
    """
    files = sorted(directory.glob("*.y*ml")) if directory.is_dir() else []
    if not files:
        return None
    procedures: dict[str, set[str]] = {}
    for path in files:
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            key = str(item.get("key") or path.stem)
            steps = item.get("steps") or []
            procedures[key] = {
                str(step["key"]) for step in steps if isinstance(step, dict) and step.get("key")
            }
    return procedures


def parse_plan(text: str, source: str, procedures: dict[str, set[str]] | None = None) -> PlanData:
    """Parse and validate one plan file; raise PlanFileError listing every problem."""
    try:
        doc = parse_yaml(text, source)
    except SourceFileError as exc:
        raise PlanFileError(exc.problems) from None
    read = _PlanReader(doc, procedures)
    data = doc.data
    if not isinstance(data, dict):
        raise PlanFileError(
            [Problem(source, 1, "plan", "must be a mapping with key, title and weeks")]
        )
    read.unknown_fields(data, (), PLAN_FIELDS)
    plan = PlanData(
        key=read.key(data, ()),
        title=read.text(data, (), "title"),
        programme_code=read.text(data, (), "programme", required=False) or None,
        description=read.text(data, (), "description", required=False),
        source_name=source,
        source_text=text,
    )
    weeks = data.get("weeks")
    if not isinstance(weeks, list) or not weeks:
        read.problem(("weeks",), "must be a non-empty list of weeks")
        weeks = []
    first_line: dict[str, int] = {}
    for w_index, week in enumerate(weeks):
        for task in read.week(week, ("weeks", w_index)):
            path = ("weeks", w_index, "tasks", task.position - 1, "key")
            if task.key in first_line:
                read.problem(
                    path, f"duplicate task key {task.key!r} (first on line {first_line[task.key]})"
                )
            first_line.setdefault(task.key, doc.line(path))
            plan.tasks.append(task)
    if read.problems:
        raise PlanFileError(read.problems)
    return plan


def label(path: tuple) -> str:
    """('weeks', 0, 'tasks', 1, 'key') → 'weeks[1].tasks[2].key' (counted from 1, as people do)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "plan"


class _PlanReader:
    """Typed access to a plan document that records each problem instead of raising."""

    def __init__(self, doc: SourceDocument, procedures: dict[str, set[str]] | None):
        self.doc, self.procedures = doc, procedures
        self.problems: list[Problem] = []

    def problem(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line(path), label(path), message))

    def unknown_fields(self, mapping: dict, path: tuple, allowed: set[str]) -> None:
        for key in mapping:
            if key not in allowed:
                where = (*path, key) if path else ("plan", key)
                self.problems.append(
                    Problem(
                        self.doc.file,
                        self.doc.line((*path, key)),
                        label(where),
                        f"unknown field (allowed: {', '.join(sorted(allowed))})",
                    )
                )

    def text(self, mapping: dict, path: tuple, key: str, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem((*path, key), "is required")
            return ""
        if not isinstance(value, str | int | float):
            self.problem((*path, key), "must be text")
            return ""
        return str(value).strip()

    def key(self, mapping: dict, path: tuple) -> str:
        key = self.text(mapping, path, "key")
        if key and not KEY_PATTERN.match(key):
            self.problem((*path, "key"), "use lowercase letters, digits, - and _")
        return key

    def flag(self, mapping: dict, path: tuple, key: str, default: bool) -> bool:
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.problem((*path, key), "must be true or false")
            return default
        return value

    def count(self, mapping: dict, path: tuple, key: str, default: int) -> int:
        value = mapping.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.problem((*path, key), "must be a whole number ≥ 1")
            return 1
        return value

    def week(self, week, path: tuple) -> list[TaskData]:
        if not isinstance(week, dict):
            self.problem(path, "must be a mapping with week, title and tasks")
            return []
        self.unknown_fields(week, path, WEEK_FIELDS)
        number = self.count(week, path, "week", 0)
        week_title = self.text(week, path, "title", required=False)
        tasks = week.get("tasks")
        if not isinstance(tasks, list) or not tasks:
            self.problem((*path, "tasks"), "must be a non-empty list")
            return []
        parsed = [
            self.task(task, (*path, "tasks", index), number, week_title)
            for index, task in enumerate(tasks)
        ]
        return [task for task in parsed if task is not None]

    def task(self, task, path: tuple, week: int, week_title: str) -> TaskData | None:
        if not isinstance(task, dict):
            self.problem(path, "must be a mapping with key, title and checklist")
            return None
        self.unknown_fields(task, path, TASK_FIELDS)
        key = self.key(task, path)
        procedure = self.text(task, path, "procedure", required=False) or None
        if procedure and self.procedures is not None and procedure not in self.procedures:
            self.problem((*path, "procedure"), f"unknown procedure {procedure!r}")
        return TaskData(
            key=key,
            title=self.text(task, path, "title"),
            week=week,
            week_title=week_title,
            position=path[-1] + 1,
            description=self.text(task, path, "description", required=False),
            procedure_key=procedure,
            required=self.flag(task, path, "required", True),
            observations_needed=self.count(task, path, "observations", 1),
            needs_duty_manager=self.flag(task, path, "duty_manager", False),
            checklist=self.checklist(task, path),
        )

    def checklist(self, task: dict, path: tuple) -> list[dict]:
        items = task.get("checklist")
        if not isinstance(items, list) or not items:
            self.problem((*path, "checklist"), "must list at least one observable behaviour")
            return []
        checklist = []
        for index, item in enumerate(items):
            item_path = (*path, "checklist", index)
            if isinstance(item, str) and item.strip():
                checklist.append({"text": item.strip(), "ref": None})
                continue
            if not isinstance(item, dict) or not str(item.get("text") or "").strip():
                self.problem(item_path, "must be text or {text, ref}")
                continue
            self.unknown_fields(item, item_path, {"text", "ref"})
            ref = str(item.get("ref") or "").strip() or None
            if ref:
                _check_ref(
                    ref, self.procedures, lambda m, p=(*item_path, "ref"): self.problem(p, m)
                )
            checklist.append({"text": str(item["text"]).strip(), "ref": ref})
        return checklist


def _check_ref(ref: str, procedures: dict[str, set[str]] | None, report) -> None:
    procedure, _dot, step = ref.partition(".")
    if not step:
        report(f"{ref!r} must be <procedure>.<step>")
    elif procedures is None:
        return
    elif procedure not in procedures:
        report(f"unknown procedure {procedure!r}")
    elif procedures[procedure] and step not in procedures[procedure]:
        report(f"unknown step {step!r} of procedure {procedure!r}")


def plan_files(paths: list[Path] | None = None) -> list[Path]:
    """The given files (directories expanded), or every plan in the default directory."""
    found: list[Path] = []
    for path in paths or [PLANS_DIR]:
        found += sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
    return found


def parse_plan_files(paths: list[Path] | None = None) -> list[PlanData]:
    """Parse every file; raise one PlanFileError with the problems of all files."""
    procedures = known_procedures()
    plans, problems = [], []
    keys: dict[str, str] = {}
    for path in plan_files(paths):
        source = _display_name(path)
        try:
            plan = parse_plan(path.read_text(encoding="utf-8"), source, procedures)
        except PlanFileError as exc:
            problems += exc.problems
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(source, 1, "file", str(exc)))
            continue
        if plan.key in keys:
            problems.append(
                Problem(source, 1, "key", f"plan key {plan.key!r} also used by {keys[plan.key]}")
            )
        keys[plan.key] = source
        plans.append(plan)
    if problems:
        raise PlanFileError(problems)
    return plans


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
