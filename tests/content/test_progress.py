"""Study progress per page, prerequisites, and the pre-job requirement on the trainee path."""

import pytest
import yaml
from sqlalchemy import select

from tests.content.conftest import SHIPPED
from trainer.content.models import ContentModule
from trainer.content.progress import (
    ModuleLocked,
    mark_module_studied,
    mark_page_studied,
    module_progress,
    programme_modules,
    unstudied_pre_job_modules,
)
from trainer.content.requirements import pre_job_modules_studied
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


def shipped_programme_modules() -> list[str]:
    """The window-staff programme's modules as programmes.yaml lists them (the list grows)."""
    document = yaml.safe_load((SHIPPED / "programmes.yaml").read_text(encoding="utf-8"))
    return next(p["modules"] for p in document["programmes"] if p["code"] == "window-staff")


def module(db, key) -> ContentModule:
    return db.session.scalar(select(ContentModule).where(ContentModule.key == key))


@pytest.fixture
def trainee(make_enrolment, library):
    return make_enrolment()


def test_marking_a_page_counts_towards_the_module(db, trainee):
    norms = module(db, "norms")
    assert mark_page_studied(trainee.user, norms.pages[0]) is True
    progress = module_progress(trainee.user, norms)
    assert (progress.studied, progress.total, progress.done) == (1, len(norms.pages), False)


def test_marking_the_same_page_twice_is_idempotent(db, trainee):
    page = module(db, "norms").pages[0]
    mark_page_studied(trainee.user, page)
    assert mark_page_studied(trainee.user, page) is False
    assert module_progress(trainee.user, page.module).studied == 1


def test_a_module_cannot_be_started_before_its_prerequisites(db, trainee):
    forbidden = module(db, "forbidden_phrases")
    with pytest.raises(ModuleLocked) as error:
        mark_page_studied(trainee.user, forbidden.pages[0])
    assert [m.key for m in error.value.missing] == ["phrases"]


def test_prerequisite_studied_unlocks_the_module(db, trainee):
    mark_module_studied(trainee.user, module(db, "phrases"))
    forbidden = module(db, "forbidden_phrases")
    assert not module_progress(trainee.user, forbidden).locked
    assert mark_page_studied(trainee.user, forbidden.pages[0])


def test_programme_modules_come_in_programme_order(db, trainee):
    keys = [m.key for m in programme_modules(trainee.programme)]
    assert keys == shipped_programme_modules()
    assert keys[:7] == [
        "procedures",
        "norms",
        "phrases",
        "forbidden_phrases",
        "conduct",
        "complaints",
        "first_inquiry",
    ]


def test_requirement_lists_unstudied_pre_job_modules(db, trainee):
    reasons = trainee_path.unmet(trainee, Stage.PRE_JOB_PASSED)
    pre_job = [m for m in programme_modules(trainee.programme) if m.pre_job]
    assert len(unstudied_pre_job_modules(trainee)) == len(pre_job) >= 7
    studying = [r for r in reasons if "pre-job modules" in r]
    assert len(studying) == 1
    assert [m.title for m in pre_job if m.title not in studying[0]] == []


def study_everything(db, enrolment):
    for key in shipped_programme_modules():
        mark_module_studied(enrolment.user, module(db, key))


def test_requirement_is_met_when_every_pre_job_module_is_studied(db, trainee):
    study_everything(db, trainee)
    assert unstudied_pre_job_modules(trainee) == []
    assert pre_job_modules_studied(trainee) == []


def test_after_studying_everything_no_content_reason_remains_on_the_path(db, trainee):
    study_everything(db, trainee)
    remaining = trainee_path.unmet(trainee, Stage.PRE_JOB_PASSED)
    titles = [m.title for m in db.session.scalars(select(ContentModule))]
    assert not any(title in reason for reason in remaining for title in titles)


def test_without_any_module_loaded_the_requirement_is_met(db, make_enrolment):
    enrolment = make_enrolment()
    assert unstudied_pre_job_modules(enrolment) == []


def test_a_module_leaves_the_unstudied_list_only_with_its_last_page(db, trainee):
    pre_job = [m for m in programme_modules(trainee.programme) if m.pre_job]
    mark_page_studied(trainee.user, pre_job[0].pages[0])
    assert pre_job[0] in unstudied_pre_job_modules(trainee)
    mark_module_studied(trainee.user, pre_job[0])
    assert unstudied_pre_job_modules(trainee) == pre_job[1:]  # in the programme's order
