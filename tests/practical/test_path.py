"""The practical assessment on the trainee path: FINAL_PASSED needs it passed next to the
written final exam, in either order; certification follows."""

from trainer.certificates.services import certificate_for
from trainer.practical.requirements import passed_practical_assessment
from trainer.practical.services import withdraw_assessment
from trainer.quizzes.availability import unavailable_reasons
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


def test_the_requirement_is_registered_on_the_app_for_final_passed(app):
    path = app.extensions["trainee_path"]
    assert passed_practical_assessment in path.requirements_for(Stage.FINAL_PASSED)


def test_a_passed_final_exam_alone_does_not_reach_final_passed(finalist, pass_final_exam, db):
    pass_final_exam(finalist)
    db.session.refresh(finalist)
    assert finalist.stage is Stage.INTERNSHIP_COMPLETE
    assert trainee_path.unmet(finalist) == ["Pass the practical assessment at the counter."]


def test_exam_then_practical_reaches_final_passed_and_the_certificate(
    finalist, pass_final_exam, mentor, assess, db
):
    pass_final_exam(finalist)
    assess(mentor, finalist)
    db.session.refresh(finalist)
    assert finalist.stage is Stage.CERTIFIED
    assert certificate_for(finalist) is not None


def test_practical_then_exam_reaches_final_passed(finalist, pass_final_exam, mentor, assess, db):
    assess(mentor, finalist)
    db.session.refresh(finalist)
    assert finalist.stage is Stage.INTERNSHIP_COMPLETE  # the written exam is still to come
    pass_final_exam(finalist)
    db.session.refresh(finalist)
    assert finalist.stage.reached(Stage.FINAL_PASSED)


def test_the_final_exam_opens_before_the_practical_assessment(finalist, final_exam):
    assert unavailable_reasons(final_exam, finalist.user) == []


def test_a_failed_practical_assessment_keeps_the_trainee_at_the_final_stage(
    finalist, pass_final_exam, mentor, assess, db
):
    pass_final_exam(finalist)
    assess(mentor, finalist, read_back="not_met", comment="号码没有复述")
    db.session.refresh(finalist)
    assert finalist.stage is Stage.INTERNSHIP_COMPLETE


def test_a_withdrawn_pass_no_longer_meets_the_requirement(finalist, mentor, assess, db):
    assessment = assess(mentor, finalist)
    withdraw_assessment(mentor, assessment, "误录")
    db.session.commit()
    assert passed_practical_assessment(finalist) == [
        "Pass the practical assessment at the counter."
    ]


def test_a_programme_without_a_checklist_needs_no_practical_assessment(make_finalist):
    assert passed_practical_assessment(make_finalist()) == []
