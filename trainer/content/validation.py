"""Read and check the scripts library (pure: files in, values and problems out).

Every problem names the file, the line and the field, so an author can fix all of them in
one pass: unknown keys, missing or empty fields, wrong types, duplicate ids, dangling
references, and service scripts that themselves use a forbidden phrase.
"""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from trainer.content.embeds import ALL_PHRASES, find_embeds
from trainer.content.library_format import (
    MAX_STEPS,
    MIN_STEPS,
    REMINDER_TYPES,
    Library,
    ModuleSpec,
    PageSpec,
    PhraseSpec,
    ProcedureSpec,
    ProgrammeSpec,
    ReferenceSpec,
    ReminderSpec,
    StepSpec,
)
from trainer.phrases.engine import PhraseMatcher, PhraseRule, normalise_pattern, wording_occurs_in
from trainer.source_files import FieldPath, Problem, SourceDocument, field_name, read_yaml_into

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
PROGRAMMES_FILE = "programmes.yaml"
# A law or rule named in a page body: 《反电信网络诈骗法》, 《电信用户申诉处理办法》 …
# (titles of forms and agreements, such as 《入网协议》, are not regulation).
REGULATION_TITLE = re.compile(
    r"《([^《》\n]{2,80}?(?:法|规定|办法|规范|条例|细则|决定|解释|通知|通告|意见|方案))》"
)
NATIONAL_PREFIX = "中华人民共和国"


class _Checker:
    """Field checks for one document; each records problems and returns a usable value."""

    def __init__(self, doc: SourceDocument, problems: list[Problem]) -> None:
        self.doc, self.problems = doc, problems

    def report(self, path: FieldPath, message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line(path), field_name(path), message))

    def report_at(self, line: int, path: FieldPath, message: str) -> None:
        self.problems.append(Problem(self.doc.file, line, field_name(path), message))

    def mapping(self, path: FieldPath, value: Any, required: Iterable[str], optional=()) -> dict:
        if not isinstance(value, dict):
            self.report(path, "must be a mapping")
            return {}
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.report((*path, key), f"unknown key (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in value:
                self.report(path, f"missing required field '{key}'")
        return value

    def absent(self, path: FieldPath) -> bool:
        """A missing field (already reported by `mapping`), as opposed to an empty one."""
        return path not in self.doc.lines

    def text(self, path: FieldPath, value: Any, required: bool = True) -> str:
        if value is None:
            if required and not self.absent(path):
                self.report(path, "must not be empty")
            return ""
        if not isinstance(value, str):
            self.report(path, "must be text")
            return str(value)
        if required and not value.strip():
            self.report(path, "must not be empty")
        return value

    def key(self, path: FieldPath, value: Any, pattern=KEY_PATTERN) -> str:
        text = self.text(path, value)
        if text and not pattern.match(text):
            self.report(path, f"'{text}' is not a valid id (lower-case letters, digits, _)")
        return text

    def text_list(self, path: FieldPath, value: Any, required: bool = False) -> tuple[str, ...]:
        if value is None and self.absent(path):
            return ()
        if value is None:
            value = []
        if not isinstance(value, list):
            self.report(path, "must be a list")
            return ()
        if required and not value:
            self.report(path, "must have at least one entry")
        return tuple(self.text((*path, i), item) for i, item in enumerate(value))

    def items(self, path: FieldPath, value: Any, required: bool = True) -> list:
        if value is None and (not required or self.absent(path)):
            return []
        if not isinstance(value, list):
            self.report(path, "must be a list")
            return []
        if required and not value:
            self.report(path, "must have at least one entry")
        return value

    def unique(self, path: FieldPath, key: str, seen: dict[str, str], what: str) -> None:
        if key and key in seen:
            self.report(path, f"duplicate {what} '{key}' (first defined at {seen[key]})")
        elif key:
            seen[key] = f"{self.doc.file}:{self.doc.line(path)}"


# ---- per-file readers -----------------------------------------------------------------------


def _procedure(doc: SourceDocument, problems: list[Problem], stem: str) -> ProcedureSpec:
    c = _Checker(doc, problems)
    data = c.mapping((), doc.data, ("key", "title", "steps"), ("summary",))
    key = c.key(("key",), data.get("key"))
    if key and key != stem:
        c.report(("key",), f"key '{key}' must match the file name '{stem}.yaml'")
    steps, seen = [], {}
    raw_steps = c.items(("steps",), data.get("steps"))
    if raw_steps and not MIN_STEPS <= len(raw_steps) <= MAX_STEPS:
        c.report(
            ("steps",), f"a procedure has {MIN_STEPS}–{MAX_STEPS} steps, found {len(raw_steps)}"
        )
    for index, raw in enumerate(raw_steps):
        path = ("steps", index)
        step = c.mapping(path, raw, ("key", "title", "standard", "script"), ("reminders",))
        step_key = c.key((*path, "key"), step.get("key"))
        c.unique((*path, "key"), step_key, seen, "step key")
        reminders = []
        for r_index, raw_reminder in enumerate(
            c.items((*path, "reminders"), step.get("reminders"), required=False)
        ):
            r_path = (*path, "reminders", r_index)
            reminder = c.mapping(r_path, raw_reminder, ("type", "text"))
            kind = c.text((*r_path, "type"), reminder.get("type"))
            if kind and kind not in REMINDER_TYPES:
                c.report((*r_path, "type"), f"'{kind}' is not one of {', '.join(REMINDER_TYPES)}")
            reminders.append(ReminderSpec(kind, c.text((*r_path, "text"), reminder.get("text"))))
        steps.append(
            StepSpec(
                key=step_key,
                title=c.text((*path, "title"), step.get("title")),
                standard=c.text((*path, "standard"), step.get("standard")),
                script=c.text_list((*path, "script"), step.get("script"), required=True),
                reminders=tuple(reminders),
            )
        )
    return ProcedureSpec(
        key=key,
        title=c.text(("title",), data.get("title")),
        summary=c.text(("summary",), data.get("summary"), required=False),
        steps=tuple(steps),
    )


def _phrases(doc: SourceDocument, problems: list[Problem]) -> list[tuple[PhraseSpec, FieldPath]]:
    c = _Checker(doc, problems)
    data = c.mapping((), doc.data, ("phrases",))
    result = []
    for index, raw in enumerate(c.items(("phrases",), data.get("phrases"))):
        path = ("phrases", index)
        item = c.mapping(
            path,
            raw,
            ("key", "phrase", "category", "reason", "alternative"),
            ("variants", "allowed_contexts"),
        )
        spec = PhraseSpec(
            key=c.key((*path, "key"), item.get("key")),
            phrase=c.text((*path, "phrase"), item.get("phrase")),
            category=c.text((*path, "category"), item.get("category")),
            reason=c.text((*path, "reason"), item.get("reason")),
            alternative=c.text((*path, "alternative"), item.get("alternative")),
            variants=c.text_list((*path, "variants"), item.get("variants")),
            allowed_contexts=c.text_list((*path, "allowed_contexts"), item.get("allowed_contexts")),
        )
        result.append((spec, path))
    return result


def _module(doc: SourceDocument, problems: list[Problem], stem: str) -> ModuleSpec:
    c = _Checker(doc, problems)
    data = c.mapping(
        (), doc.data, ("key", "title", "pages"), ("summary", "pre_job", "prerequisites")
    )
    key = c.key(("key",), data.get("key"))
    if key and key != stem:
        c.report(("key",), f"key '{key}' must match the file name '{stem}.yaml'")
    pre_job = data.get("pre_job", True)
    if not isinstance(pre_job, bool):
        c.report(("pre_job",), "must be true or false")
        pre_job = True
    pages, seen = [], {}
    for index, raw in enumerate(c.items(("pages",), data.get("pages"))):
        path = ("pages", index)
        page = c.mapping(path, raw, ("key", "title", "body"), ("references",))
        page_key = c.key((*path, "key"), page.get("key"))
        c.unique((*path, "key"), page_key, seen, "page key")
        spec = PageSpec(
            page_key,
            c.text((*path, "title"), page.get("title")),
            c.text((*path, "body"), page.get("body")),
            _references(c, (*path, "references"), page.get("references")),
        )
        _check_cited_regulations(c, path, spec)
        pages.append(spec)
    return ModuleSpec(
        key=key,
        title=c.text(("title",), data.get("title")),
        summary=c.text(("summary",), data.get("summary"), required=False),
        pre_job=pre_job,
        prerequisites=c.text_list(("prerequisites",), data.get("prerequisites")),
        pages=tuple(pages),
    )


def _references(c: _Checker, path: FieldPath, value: Any) -> tuple[ReferenceSpec, ...]:
    result = []
    for index, raw in enumerate(c.items(path, value, required=False)):
        item_path = (*path, index)
        item = c.mapping(item_path, raw, ("source",), ("article", "note"))
        result.append(
            ReferenceSpec(
                source=c.text((*item_path, "source"), item.get("source")),
                article=c.text((*item_path, "article"), item.get("article"), required=False),
                note=c.text((*item_path, "note"), item.get("note"), required=False),
            )
        )
    return tuple(result)


def regulation_name(title: str) -> str:
    """《中华人民共和国个人信息保护法》 and 个人信息保护法 name the same law."""
    name = title.strip().strip("《》").replace(" ", "")
    return name.removeprefix(NATIONAL_PREFIX)


def cited_regulations(body: str) -> list[tuple[str, int]]:
    """Every law or rule a body names, with its 1-based line in the body."""
    return [
        (match.group(1), body.count("\n", 0, match.start()) + 1)
        for match in REGULATION_TITLE.finditer(body)
    ]


def _check_cited_regulations(c: _Checker, path: FieldPath, page: PageSpec) -> None:
    """A page that names a law or rule must say where, in its references (issue 19)."""
    listed = set()
    for reference in page.references:
        titles = re.findall(r"《([^《》]+)》", reference.source) or [reference.source]
        listed |= {regulation_name(t) for t in titles}
    body_path = (*path, "body")
    for title, line in cited_regulations(page.body):
        if regulation_name(title) not in listed:
            c.report_at(
                c.doc.text_line(body_path, line),
                body_path,
                f"names 《{title}》 but the page's references do not list it",
            )


def _programmes(doc: SourceDocument, problems: list[Problem]) -> list[ProgrammeSpec]:
    c = _Checker(doc, problems)
    data = c.mapping((), doc.data, ("programmes",))
    result, seen = [], {}
    for index, raw in enumerate(c.items(("programmes",), data.get("programmes"))):
        path = ("programmes", index)
        item = c.mapping(path, raw, ("code", "name", "modules"))
        code = c.key((*path, "code"), item.get("code"), CODE_PATTERN)
        c.unique((*path, "code"), code, seen, "programme code")
        modules = c.text_list((*path, "modules"), item.get("modules"), required=True)
        result.append(ProgrammeSpec(code, c.text((*path, "name"), item.get("name")), modules))
    return result


# ---- the whole library ----------------------------------------------------------------------


def _yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def read_library(root: Path | str) -> tuple[Library, list[Problem]]:
    """Parse and check every file under `root`; the library is usable only without problems.

    `scenarios/` and `internship/` belong to other features and are not read here.
    """
    root = Path(root)
    problems: list[Problem] = []
    library = Library()
    if not root.is_dir():
        return library, [Problem(str(root), 1, "", "library folder not found")]
    procedures: list[tuple[ProcedureSpec, _Checker]] = []
    phrases: list[tuple[PhraseSpec, FieldPath, _Checker]] = []
    modules: list[tuple[ModuleSpec, _Checker]] = []
    programmes: list[tuple[ProgrammeSpec, int, _Checker]] = []

    def documents(folder: str) -> Iterable[tuple[SourceDocument, Path]]:
        for path in _yaml_files(root / folder):
            doc = read_yaml_into(path, str(path), problems)
            if doc is not None:
                yield doc, path

    for doc, path in documents("procedures"):
        procedures.append((_procedure(doc, problems, path.stem), _Checker(doc, problems)))
    for doc, _path in documents("phrases"):
        phrases.extend((spec, p, _Checker(doc, problems)) for spec, p in _phrases(doc, problems))
    for doc, path in documents("modules"):
        modules.append((_module(doc, problems, path.stem), _Checker(doc, problems)))
    programmes_path = root / PROGRAMMES_FILE
    if programmes_path.is_file():
        doc = read_yaml_into(programmes_path, str(programmes_path), problems)
        if doc is not None:
            checker = _Checker(doc, problems)
            programmes.extend(
                (spec, i, checker) for i, spec in enumerate(_programmes(doc, problems))
            )

    _check_procedures(procedures)
    _check_phrases(phrases)
    _check_modules(modules, procedures, phrases)
    _check_programmes(programmes, modules)
    _check_scripts_are_clean(procedures, phrases)

    library.procedures = [spec for spec, _ in procedures]
    library.phrases = [spec for spec, _, _ in phrases]
    library.modules = [spec for spec, _ in modules]
    library.programmes = [spec for spec, _, _ in programmes]
    problems.sort(key=lambda p: (p.file, p.line, p.field))
    return library, problems


def _check_procedures(procedures: list[tuple[ProcedureSpec, _Checker]]) -> None:
    seen: dict[str, str] = {}
    for spec, c in procedures:
        c.unique(("key",), spec.key, seen, "procedure key")


def _check_phrases(phrases: list[tuple[PhraseSpec, FieldPath, _Checker]]) -> None:
    keys: dict[str, str] = {}
    patterns: dict[str, str] = {}
    for spec, path, c in phrases:
        c.unique((*path, "key"), spec.key, keys, "phrase key")
        texts = [(("phrase",), spec.phrase)] + [
            (("variants", i), v) for i, v in enumerate(spec.variants)
        ]
        normalised_texts = []
        for sub_path, text in texts:
            normalised = normalise_pattern(text)
            if text and not normalised:
                c.report((*path, *sub_path), "has no characters left to match")
                continue
            c.unique((*path, *sub_path), normalised, patterns, "forbidden phrase or variant")
            normalised_texts.append(normalised)
        for i, context in enumerate(spec.allowed_contexts):
            wordings = [t for _, t in texts if t]
            if not any(wording_occurs_in(w, context) for w in wordings):
                c.report(
                    (*path, "allowed_contexts", i),
                    "an allowed context must contain the phrase or one of its variants",
                )


def _check_modules(modules, procedures, phrases) -> None:
    module_keys = {spec.key for spec, _ in modules}
    steps = {(p.key, s.key) for p, _ in procedures for s in p.steps}
    procedure_keys = {p.key for p, _ in procedures}
    categories = {spec.category for spec, _, _ in phrases} | {ALL_PHRASES}
    seen: dict[str, str] = {}
    for spec, c in modules:
        c.unique(("key",), spec.key, seen, "module key")
        for i, prerequisite in enumerate(spec.prerequisites):
            if prerequisite == spec.key:
                c.report(("prerequisites", i), "a module cannot be its own prerequisite")
            elif prerequisite not in module_keys:
                c.report(("prerequisites", i), f"unknown module '{prerequisite}'")
        for index, page in enumerate(spec.pages):
            path = ("pages", index, "body")
            for embed in find_embeds(page.body):
                if embed.kind == "procedure" and embed.ref not in procedure_keys:
                    message = f"embeds unknown procedure '{embed.ref}'"
                elif embed.kind == "script" and tuple(embed.ref.split(".", 1)) not in steps:
                    message = f"embeds unknown step '{embed.ref}' (use procedure.step)"
                elif embed.kind == "phrases" and embed.ref not in categories:
                    message = f"embeds unknown phrase category '{embed.ref}'"
                else:
                    continue
                c.report_at(c.doc.text_line(path, embed.line), path, message)
    _check_prerequisite_cycles(modules)


def _check_prerequisite_cycles(modules) -> None:
    graph = {spec.key: set(spec.prerequisites) for spec, _ in modules}
    checkers = {spec.key: c for spec, c in modules}

    def reaches(start: str, target: str, visited: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == target or (nxt not in visited and reaches(nxt, target, visited | {nxt})):
                return True
        return False

    for key in graph:
        if key in graph.get(key, set()):
            continue  # reported as its own prerequisite
        if reaches(key, key, {key}):
            checkers[key].report(("prerequisites",), f"prerequisites of '{key}' form a cycle")


def _check_programmes(programmes, modules) -> None:
    module_keys = {spec.key for spec, _ in modules}
    for spec, index, c in programmes:
        listed: set[str] = set()
        for i, key in enumerate(spec.modules):
            path = ("programmes", index, "modules", i)
            if key not in module_keys:
                c.report(path, f"unknown module '{key}'")
            if key in listed:
                c.report(path, f"module '{key}' is listed twice")
            listed.add(key)


def _check_scripts_are_clean(procedures, phrases) -> None:
    """A script line that itself uses a forbidden phrase would teach the wrong thing."""
    matcher = PhraseMatcher(
        PhraseRule(
            s.key, s.phrase, s.variants, s.category, s.reason, s.alternative, s.allowed_contexts
        )
        for s, _, _ in phrases
    )
    for spec, c in procedures:
        for s_index, step in enumerate(spec.steps):
            for l_index, line in enumerate(step.script):
                for finding in matcher.scan(line):
                    c.report(
                        ("steps", s_index, "script", l_index),
                        f"uses the forbidden phrase '{finding.phrase}' ({finding.matched}); "
                        f"say instead: {finding.alternative}",
                    )
