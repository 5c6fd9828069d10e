"""Dashboard panels: a trainee's modules and progress; the trainer's scripts library."""

from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.content.models import ContentModule, Procedure
from trainer.content.progress import programme_modules, progress_for
from trainer.extensions import db
from trainer.phrases.models import ForbiddenPhrase
from trainer.training.services import current_enrolment


def trainee_modules_panel(user: User) -> dict | None:
    enrolment = current_enrolment(user)
    modules = programme_modules(enrolment.programme if enrolment else None)
    if not modules:
        return None
    rows = progress_for(user, modules)
    return {"rows": rows, "done": sum(r.done for r in rows), "total": len(rows)}


def trainer_library_panel(user: User) -> dict:
    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    return {
        "procedures": count(Procedure),
        "modules": count(ContentModule),
        "phrases": count(ForbiddenPhrase),
    }
