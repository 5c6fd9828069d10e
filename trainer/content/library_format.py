"""The scripts library as plain values: what a file holds, independent of the database.

`to_data()` gives the exact mapping written to YAML; the same mapping is hashed to tell
whether a row changed, and kept in the revision history.
"""

import hashlib
import json
from dataclasses import dataclass, field

REMINDER_TYPES = ("forgettable", "error_prone", "important")
MIN_STEPS, MAX_STEPS = 4, 10


def content_hash(data: dict) -> str:
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReminderSpec:
    type: str
    text: str

    def to_data(self) -> dict:
        return {"type": self.type, "text": self.text}


@dataclass(frozen=True)
class StepSpec:
    key: str
    title: str
    standard: str
    script: tuple[str, ...]
    reminders: tuple[ReminderSpec, ...] = ()

    def to_data(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "standard": self.standard,
            "script": list(self.script),
            "reminders": [r.to_data() for r in self.reminders],
        }


@dataclass(frozen=True)
class ProcedureSpec:
    key: str
    title: str
    summary: str
    steps: tuple[StepSpec, ...]

    def to_data(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "summary": self.summary,
            "steps": [s.to_data() for s in self.steps],
        }


@dataclass(frozen=True)
class PhraseSpec:
    key: str
    phrase: str
    category: str
    reason: str
    alternative: str
    variants: tuple[str, ...] = ()
    allowed_contexts: tuple[str, ...] = ()

    def to_data(self) -> dict:
        data = {
            "key": self.key,
            "phrase": self.phrase,
            "variants": list(self.variants),
            "category": self.category,
            "reason": self.reason,
            "alternative": self.alternative,
        }
        if self.allowed_contexts:
            data["allowed_contexts"] = list(self.allowed_contexts)
        return data


@dataclass(frozen=True)
class ReferenceSpec:
    """The source of a page's statements about regulation: a law or rule, and its article.

    `article` stays empty when the page relies on the law as a whole (or the article number
    could not be checked: no article is better than a wrong one); `note` says what it backs.
    """

    source: str
    article: str = ""
    note: str = ""

    def to_data(self) -> dict:
        data = {"source": self.source}
        if self.article:
            data["article"] = self.article
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    body: str
    references: tuple[ReferenceSpec, ...] = ()

    def to_data(self) -> dict:
        data = {"key": self.key, "title": self.title, "body": self.body}
        # Only when present, so pages without references keep their content hash (no new
        # version of every existing module just because the format grew a field).
        if self.references:
            data["references"] = [r.to_data() for r in self.references]
        return data


@dataclass(frozen=True)
class ModuleSpec:
    key: str
    title: str
    summary: str
    pre_job: bool
    prerequisites: tuple[str, ...]
    pages: tuple[PageSpec, ...]

    def to_data(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "summary": self.summary,
            "pre_job": self.pre_job,
            "prerequisites": list(self.prerequisites),
            "pages": [p.to_data() for p in self.pages],
        }


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    modules: tuple[str, ...]

    def to_data(self) -> dict:
        return {"code": self.code, "name": self.name, "modules": list(self.modules)}


@dataclass
class Library:
    procedures: list[ProcedureSpec] = field(default_factory=list)
    phrases: list[PhraseSpec] = field(default_factory=list)
    modules: list[ModuleSpec] = field(default_factory=list)
    programmes: list[ProgrammeSpec] = field(default_factory=list)

    def summary(self) -> str:
        steps = sum(len(p.steps) for p in self.procedures)
        return (
            f"{len(self.procedures)} procedures ({steps} steps), {len(self.phrases)} forbidden "
            f"phrases, {len(self.modules)} modules, {len(self.programmes)} programmes"
        )
