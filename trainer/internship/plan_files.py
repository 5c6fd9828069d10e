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
from trainer.yaml_guard import guarded_load

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


@dataclass(frozen=True)
class PlanProblem:
    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.field}: {self.message}"


class PlanFileError(ValueError):
    def __init__(self, problems: list[PlanProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers the line of every mapping and of each of its keys."""


class LineDict(dict):
    line: int = 0
    key_lines: dict


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {
        loader.construct_object(k, deep=True): k.start_mark.line + 1 for k, _v in node.value
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    problems: list[PlanProblem] = []

    def problem(line: int, field_name: str, message: str) -> None:
        problems.append(PlanProblem(source, line, field_name, message))

    try:
        data = guarded_load(text, _LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PlanFileError(
            [PlanProblem(source, mark.line + 1 if mark else 1, "yaml", str(exc).split("\n")[0])]
        ) from None
    if not isinstance(data, LineDict):
        raise PlanFileError(
            [PlanProblem(source, 1, "plan", "must be a mapping with key, title and weeks")]
        )

    def line_of(mapping: LineDict, key: str) -> int:
        return mapping.key_lines.get(key, mapping.line)

    def text_field(mapping: LineDict, key: str, label: str, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problem(line_of(mapping, key), label, "is required")
            return ""
        if not isinstance(value, str | int | float):
            problem(line_of(mapping, key), label, "must be text")
            return ""
        return str(value).strip()

    def unknown_fields(mapping: LineDict, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                problem(
                    line_of(mapping, key),
                    f"{where}.{key}",
                    f"unknown field (allowed: {', '.join(sorted(allowed))})",
                )

    unknown_fields(data, PLAN_FIELDS, "plan")
    plan = PlanData(
        key=text_field(data, "key", "key"),
        title=text_field(data, "title", "title"),
        programme_code=text_field(data, "programme", "programme", required=False) or None,
        description=text_field(data, "description", "description", required=False),
        source_name=source,
        source_text=text,
    )
    if plan.key and not KEY_PATTERN.match(plan.key):
        problem(line_of(data, "key"), "key", "use lowercase letters, digits, - and _")
    weeks = data.get("weeks")
    if not isinstance(weeks, list) or not weeks:
        problem(line_of(data, "weeks"), "weeks", "must be a non-empty list of weeks")
        weeks = []
    seen_tasks: dict[str, int] = {}
    for w_index, week in enumerate(weeks, start=1):
        where = f"weeks[{w_index}]"
        if not isinstance(week, LineDict):
            problem(data.line, where, "must be a mapping with week, title and tasks")
            continue
        unknown_fields(week, WEEK_FIELDS, where)
        number = week.get("week")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problem(line_of(week, "week"), f"{where}.week", "must be a whole number ≥ 1")
            number = 1
        week_title = text_field(week, "title", f"{where}.title", required=False)
        tasks = week.get("tasks")
        if not isinstance(tasks, list) or not tasks:
            problem(line_of(week, "tasks"), f"{where}.tasks", "must be a non-empty list")
            continue
        for position, task in enumerate(tasks, start=1):
            parsed = _parse_task(
                task,
                f"{where}.tasks[{position}]",
                week,
                number,
                week_title,
                position,
                procedures,
                problem,
                text_field,
                unknown_fields,
                line_of,
            )
            if parsed is None:
                continue
            if parsed.key in seen_tasks:
                problem(
                    line_of(task, "key"),
                    f"{where}.tasks[{position}].key",
                    f"duplicate task key {parsed.key!r} (first on line {seen_tasks[parsed.key]})",
                )
            seen_tasks.setdefault(parsed.key, line_of(task, "key"))
            plan.tasks.append(parsed)
    if problems:
        raise PlanFileError(problems)
    return plan


def _parse_task(
    task,
    where,
    week,
    number,
    week_title,
    position,
    procedures,
    problem,
    text_field,
    unknown_fields,
    line_of,
) -> TaskData | None:
    if not isinstance(task, LineDict):
        problem(week.line, where, "must be a mapping with key, title and checklist")
        return None
    unknown_fields(task, TASK_FIELDS, where)
    key = text_field(task, "key", f"{where}.key")
    if key and not KEY_PATTERN.match(key):
        problem(line_of(task, "key"), f"{where}.key", "use lowercase letters, digits, - and _")
    procedure = text_field(task, "procedure", f"{where}.procedure", required=False) or None
    if procedure and procedures is not None and procedure not in procedures:
        problem(
            line_of(task, "procedure"), f"{where}.procedure", f"unknown procedure {procedure!r}"
        )
    required = task.get("required", True)
    if not isinstance(required, bool):
        problem(line_of(task, "required"), f"{where}.required", "must be true or false")
    observations = task.get("observations", 1)
    if not isinstance(observations, int) or isinstance(observations, bool) or observations < 1:
        problem(
            line_of(task, "observations"), f"{where}.observations", "must be a whole number ≥ 1"
        )
        observations = 1
    duty_manager = task.get("duty_manager", False)
    if not isinstance(duty_manager, bool):
        problem(line_of(task, "duty_manager"), f"{where}.duty_manager", "must be true or false")
    checklist = []
    items = task.get("checklist")
    if not isinstance(items, list) or not items:
        problem(
            line_of(task, "checklist"),
            f"{where}.checklist",
            "must list at least one observable behaviour",
        )
        items = []
    for i, item in enumerate(items, start=1):
        item_where = f"{where}.checklist[{i}]"
        if isinstance(item, str) and item.strip():
            checklist.append({"text": item.strip(), "ref": None})
            continue
        if not isinstance(item, LineDict) or not str(item.get("text") or "").strip():
            problem(line_of(task, "checklist"), item_where, "must be text or {text, ref}")
            continue
        unknown_fields(item, {"text", "ref"}, item_where)
        ref = str(item.get("ref") or "").strip() or None
        if ref:
            _check_ref(
                ref,
                procedures,
                lambda msg, item=item, w=item_where: problem(line_of(item, "ref"), f"{w}.ref", msg),
            )
        checklist.append({"text": str(item["text"]).strip(), "ref": ref})
    return TaskData(
        key=key,
        title=text_field(task, "title", f"{where}.title"),
        week=number,
        week_title=week_title,
        position=position,
        description=text_field(task, "description", f"{where}.description", required=False),
        procedure_key=procedure,
        required=required if isinstance(required, bool) else True,
        observations_needed=observations,
        needs_duty_manager=duty_manager if isinstance(duty_manager, bool) else False,
        checklist=checklist,
    )


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
            problems.append(PlanProblem(source, 1, "file", str(exc)))
            continue
        if plan.key in keys:
            problems.append(
                PlanProblem(
                    source, 1, "key", f"plan key {plan.key!r} also used by {keys[plan.key]}"
                )
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
