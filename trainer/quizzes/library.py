"""Library loader (order 40): question_banks/*.yaml and the programme's quizzes (quizzes.yaml)."""

from pathlib import Path

from trainer.config import ROOT
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.library.sync import active_reload
from trainer.quizzes.bank_files import read_yaml
from trainer.quizzes.banks import import_questions
from trainer.quizzes.questions import BankImportError
from trainer.quizzes.quiz_setup import QUIZ_FIELDS, upsert_quiz, validate_quiz
from trainer.source_files import Problem, load_yaml
from trainer.training.services import default_programme

BANKS_DIR = ROOT / "question_banks"


def load_question_banks(directory: Path = BANKS_DIR) -> str:
    """Validate every bank file first, then import them all (idempotent: unchanged stays)."""
    files = sorted(p for p in directory.glob("*.yaml") if p.name != "quizzes.yaml")
    parsed, errors = [], []
    for path in files:
        try:
            meta, questions = read_yaml(path.read_text(encoding="utf-8"), str(path))
        except BankImportError as exc:
            errors += exc.lines()
            continue
        parsed.append((path.stem, meta, questions))
    quiz_file = directory / "quizzes.yaml"
    quiz_specs = load_yaml(quiz_file.read_text(encoding="utf-8")) if quiz_file.exists() else {}
    all_questions = {
        (meta.get("name") or stem, q["key"]): q for stem, meta, qs in parsed for q in qs
    }
    for spec in (quiz_specs or {}).get("quizzes", []):
        errors += [
            Problem.at(1, m).in_file(str(quiz_file)) for m in validate_quiz(spec, all_questions)
        ]
    if errors:
        raise LibraryError(errors)
    counts = [0, 0, 0, 0]
    for stem, meta, questions in parsed:
        summary = import_questions(
            None,
            meta.get("name") or stem,
            questions,
            title=meta.get("title"),
            description=meta.get("description"),
            reconciler=active_reload(),
        )
        counts[0] += summary.created
        counts[1] += summary.updated
        counts[2] += summary.kept
        counts[3] += summary.conflict
    programme = default_programme()
    db.session.flush()
    for spec in (quiz_specs or {}).get("quizzes", []):
        upsert_quiz(None, programme, {k: spec[k] for k in QUIZ_FIELDS if k in spec})
    total = len(all_questions)
    kept = f", {counts[2]} kept (edited in UI), {counts[3]} conflicts" if any(counts[2:]) else ""
    return (
        f"{len(parsed)} banks, {total} questions ({counts[0]} new, {counts[1]} new versions"
        f"{kept}), {len((quiz_specs or {}).get('quizzes', []))} quizzes"
    )


class LibraryError(BankImportError):
    """The shipped library was refused; `lines` are the problems of every file, as printed."""

    def __init__(self, lines: list[str]):
        self._lines = lines
        self.errors, self.problems, self.document = [], [], None
        DomainError.__init__(self, "\n".join(lines))

    def lines(self) -> list[str]:
        return self._lines
