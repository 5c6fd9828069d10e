"""A writable copy of the repository's library files, and for each kind of library item how a
trainer edits it in the UI and how an author edits its file (tests/library, tests/e2e)."""

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from trainer import ROOT
from trainer.content.editing import save_module, update_phrase, update_procedure
from trainer.content.loading import load_library, module_spec
from trainer.content.models import ContentModule, Procedure
from trainer.extensions import db as _db
from trainer.internship.models import InternshipPlan
from trainer.internship.plans import load_plan_files, save_plan_text
from trainer.library.sync import reloading
from trainer.phrases.models import ForbiddenPhrase
from trainer.quizzes.banks import as_native, edit_question
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.models import Question
from trainer.roleplay.scenario_store import (
    current_version,
    load_scenarios,
    save_from_editor,
    scenario_by_key,
)

SCRIPTS = ROOT / "scripts_library"


def replace_in_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@dataclass
class Kind:
    """How one kind of item is loaded, read, edited in the UI and edited in its file."""

    name: str  # the kind's name in the reload report
    key: str
    root: Path
    original: str  # a text of the item in its file, replaced by both edits
    prefix: str = ""  # what precedes `original` in the file where it first appears

    @property
    def key_in_report(self) -> str:
        return self.key

    def load(self):
        raise NotImplementedError

    def current(self) -> str:
        raise NotImplementedError

    def edit_in_ui(self, actor, text: str) -> None:
        raise NotImplementedError

    def edit_file(self, text: str) -> None:
        replace_in_file(self.file, self.prefix + self.original, self.prefix + text)

    def reload(self):
        with reloading() as reconciler:
            self.load()
        _db.session.commit()
        return reconciler


class ProcedureKind(Kind):
    file = property(lambda self: self.root / "procedures" / "open_account.yaml")

    def load(self):
        load_library(self.root)

    def row(self) -> Procedure:
        return _db.session.scalar(select(Procedure).where(Procedure.key == self.key))

    def current(self):
        return self.row().title

    def edit_in_ui(self, actor, text):
        update_procedure(actor, self.row(), title=text, summary=self.row().summary)


class PhraseKind(ProcedureKind):
    file = property(lambda self: self.root / "phrases" / "forbidden.yaml")

    def row(self) -> ForbiddenPhrase:
        return _db.session.scalar(select(ForbiddenPhrase).where(ForbiddenPhrase.key == self.key))

    def current(self):
        return self.row().reason

    def edit_in_ui(self, actor, text):
        row = self.row()
        update_phrase(
            actor,
            row,
            phrase=row.phrase,
            category=row.category,
            reason=text,
            alternative=row.alternative,
            variants="\n".join(row.variants),
            allowed_contexts="\n".join(row.allowed_contexts),
        )


class ModuleKind(ProcedureKind):
    file = property(lambda self: self.root / "modules" / "phrases.yaml")

    def row(self) -> ContentModule:
        return _db.session.scalar(select(ContentModule).where(ContentModule.key == self.key))

    def edit_in_ui(self, actor, text):
        spec = module_spec(self.row())
        save_module(actor, self.row(), spec.__class__(**{**spec.__dict__, "title": text}))


class ScenarioKind(Kind):
    file = property(lambda self: self.root / "plan_change_hotline.yaml")

    def load(self):
        load_scenarios(self.root)

    def current(self):
        return scenario_by_key(self.key).title

    def edit_in_ui(self, actor, text):
        scenario = scenario_by_key(self.key)
        source = current_version(scenario).source.replace(self.original, text, 1)
        save_from_editor(actor, scenario, source)


class PlanKind(Kind):
    file = property(lambda self: self.root / "window-staff-30d.yaml")

    def load(self):
        load_plan_files([self.file])

    def row(self) -> InternshipPlan:
        return _db.session.scalar(select(InternshipPlan).where(InternshipPlan.key == self.key))

    def current(self):
        return self.row().title

    def edit_in_ui(self, actor, text):
        plan = self.row()
        source = plan.source_text.replace(self.prefix + self.original, self.prefix + text, 1)
        save_plan_text(actor, source, plan.source_name)


class QuestionKind(Kind):
    file = property(lambda self: self.root / "phrases.yaml")
    key_in_report = property(lambda self: f"phrases/{self.key}")

    def load(self):
        load_question_banks(self.root)

    def row(self) -> Question:
        return _db.session.scalar(select(Question).where(Question.key == self.key))

    def current(self):
        return self.row().current.text

    def edit_in_ui(self, actor, text):
        question = self.row()
        edit_question(actor, question, {**as_native(question), "text": text})


KINDS = {
    "procedure": lambda files: ProcedureKind(
        "procedure", "open_account", files / "scripts_library", "开户/新装"
    ),
    "phrase": lambda files: PhraseKind("phrase", "dont_know", files / "scripts_library", ""),
    "module": lambda files: ModuleKind("module", "phrases", files / "scripts_library", ""),
    "scenario": lambda files: ScenarioKind(
        "scenario",
        "plan_change_hotline",
        files / "scripts_library" / "scenarios",
        "热线来电：套餐太贵想换便宜的",
    ),
    "internship plan": lambda files: PlanKind(
        "internship plan",
        "window-staff-30d",
        files / "scripts_library" / "internship",
        "营业厅窗口新员工一个月带教计划",
        "title: ",
    ),
    "question": lambda files: QuestionKind(
        "question",
        "ph-ten-characters",
        files / "question_banks",
        "窗口服务的“十字”文明用语包括哪些？（多选）",
    ),
}


def copy_library_files(app, tmp_path):
    """(For a fixture.) A writable copy of the repository's library files (one question
    bank), which the status page reads while the test runs."""
    shutil.copytree(SCRIPTS, tmp_path / "scripts_library")
    (tmp_path / "question_banks").mkdir()
    shutil.copy(ROOT / "question_banks" / "phrases.yaml", tmp_path / "question_banks")
    app.config["LIBRARY_DIR"] = str(tmp_path / "scripts_library")
    yield tmp_path
    app.config.pop("LIBRARY_DIR")
