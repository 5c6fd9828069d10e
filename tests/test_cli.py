from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.permissions import Role
from trainer.training.models import Enrolment
from trainer.training.stages import PATH, Stage


def test_users_create_makes_a_user_with_several_roles(runner, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--employee-no",
            "T9",
            "--name",
            "王芳",
            "--role",
            "trainer",
            "--role",
            "mentor",
            "--password",
            "secret-pass",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.employee_no == "T9"))
    assert user.roles == {Role.TRAINER, Role.MENTOR}


def test_users_import_prints_every_error_with_its_line(runner, tmp_path, db):
    bad = tmp_path / "users.csv"
    bad.write_text("employee_no,name,roles\nE1,张三,trainee\nE2,李四,chief\n", encoding="utf-8")
    result = runner.invoke(args=["users", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: roles: unknown role 'chief'" in result.output  # FILE:LINE: field: message
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_seed_demo_spreads_twenty_trainees_over_every_stage(runner, db):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    stages = set(db.session.scalars(select(Enrolment.stage)))
    # Passing the final exam issues the certificate at once, so final_passed is only passed through.
    resting_stages = set(PATH) - {Stage.FINAL_PASSED}
    assert (len(db.session.scalars(select(Enrolment)).all()), stages) == (20, resting_stages)
    assert "A0001" in result.output


def test_seed_demo_twice_keeps_one_set_of_data(demo_data, runner, db):
    result = runner.invoke(args=["seed-demo"])  # again, over the seeded snapshot
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 20
