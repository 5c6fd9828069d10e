"""Modules of a programme and each trainee's study progress (page by page).

A module is studied when every one of its pages is marked studied; a module can be started
only when its prerequisites are studied. Finishing a module may satisfy the path's
pre-job requirement, so the trainee's path catches up.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.content.models import ContentModule, ModulePage, PageStudy, ProgrammeModule
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.training.models import Enrolment, Programme
from trainer.training.path import trainee_path
from trainer.training.services import current_enrolment


class ModuleLocked(DomainError):
    """The module's prerequisites are not studied yet."""

    def __init__(self, module: ContentModule, missing: list[ContentModule]):
        self.module, self.missing = module, missing
        super().__init__(_l("Study %(titles)s first."), titles="、".join(m.title for m in missing))


@dataclass(frozen=True)
class ModuleProgress:
    module: ContentModule
    studied: int
    total: int
    locked_by: tuple[ContentModule, ...]  # unstudied prerequisites

    @property
    def done(self) -> bool:
        return self.total > 0 and self.studied >= self.total

    @property
    def locked(self) -> bool:
        return bool(self.locked_by)

    @property
    def percent(self) -> int:
        return round(100 * self.studied / self.total) if self.total else 0


def programme_modules(programme: Programme | None) -> list[ContentModule]:
    """The programme's modules in order; without a programme (or a list), every module."""
    if programme is not None:
        modules = db.session.scalars(
            select(ContentModule)
            .join(ProgrammeModule, ProgrammeModule.module_id == ContentModule.id)
            .where(ProgrammeModule.programme_id == programme.id)
            .order_by(ProgrammeModule.position)
            .options(selectinload(ContentModule.pages))
        ).all()
        if modules:
            return list(modules)
    return list(
        db.session.scalars(
            select(ContentModule)
            .order_by(ContentModule.id)
            .options(selectinload(ContentModule.pages))
        ).all()
    )


def studied_page_ids(user: User) -> set[int]:
    return set(db.session.scalars(select(PageStudy.page_id).where(PageStudy.user_id == user.id)))


def progress_for(user: User, modules: list[ContentModule]) -> list[ModuleProgress]:
    """Progress of each module for `user`, in two queries whatever the number of modules."""
    studied = studied_page_ids(user)
    by_key = {m.key: m for m in _all_modules_with_pages()}
    done = {key for key, m in by_key.items() if m.pages and all(p.id in studied for p in m.pages)}
    result = []
    for module in modules:
        locked_by = tuple(
            by_key[key] for key in module.prerequisites if key in by_key and key not in done
        )
        result.append(
            ModuleProgress(
                module, sum(p.id in studied for p in module.pages), len(module.pages), locked_by
            )
        )
    return result


def _all_modules_with_pages() -> list[ContentModule]:
    return list(
        db.session.scalars(select(ContentModule).options(selectinload(ContentModule.pages))).all()
    )


def module_progress(user: User, module: ContentModule) -> ModuleProgress:
    return progress_for(user, [module])[0]


def mark_page_studied(user: User, page: ModulePage) -> bool:
    """Record that `user` studied `page`; True if it was new. Raises ModuleLocked.

    When the page completes a module, the trainee's path catches up (the pre-job
    requirement may now be met).
    """
    progress = module_progress(user, page.module)
    if progress.locked:
        raise ModuleLocked(page.module, list(progress.locked_by))
    exists = db.session.scalar(
        select(PageStudy.id).where(PageStudy.user_id == user.id, PageStudy.page_id == page.id)
    )
    if exists:
        return False
    db.session.add(PageStudy(user_id=user.id, page_id=page.id))
    db.session.flush()
    if module_progress(user, page.module).done and (enrolment := current_enrolment(user)):
        trainee_path.catch_up(enrolment, user)
    return True


def mark_module_studied(user: User, module: ContentModule) -> int:
    """Mark every page of a module studied (used by the demo seeder); returns pages added."""
    return sum(mark_page_studied(user, page) for page in module.pages)


def unstudied_pre_job_modules(enrolment: Enrolment) -> list[ContentModule]:
    """The programme's pre-job modules (every module's, without a programme list) not yet
    studied to the last page, in order. Counted in SQL: it runs at every exam start (the
    path's requirement), so no page text is read (issue 21)."""
    counts = (
        select(
            ModulePage.module_id,
            func.count(ModulePage.id).label("total"),
            func.count(PageStudy.id).label("studied"),
        )
        .outerjoin(
            PageStudy,
            (PageStudy.page_id == ModulePage.id) & (PageStudy.user_id == enrolment.user_id),
        )
        .group_by(ModulePage.module_id)
        .subquery()
    )
    # The programme's list when it has one, else every pre-job module: one statement.
    listed = (ProgrammeModule.module_id == ContentModule.id) & (
        ProgrammeModule.programme_id == enrolment.programme_id
    )
    has_list = (
        select(ProgrammeModule.module_id)
        .where(ProgrammeModule.programme_id == enrolment.programme_id)
        .exists()
    )
    query = (
        select(ContentModule)
        .outerjoin(counts, counts.c.module_id == ContentModule.id)
        .outerjoin(ProgrammeModule, listed)
        .where(
            ContentModule.pre_job.is_(True),
            or_(counts.c.total.is_(None), counts.c.studied < counts.c.total),
            or_(~has_list, ProgrammeModule.module_id.is_not(None)),
        )
        .order_by(ProgrammeModule.position, ContentModule.id)
    )
    return list(db.session.scalars(query))


def studied_counts(user_ids: list[int]) -> dict[int, int]:
    """Pages studied per user (for trainer views)."""
    rows = db.session.execute(
        select(PageStudy.user_id, func.count())
        .where(PageStudy.user_id.in_(user_ids))
        .group_by(PageStudy.user_id)
    )
    return dict(rows.all())
