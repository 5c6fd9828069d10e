"""Awards, the month's standings from real results, and the trainee's badges."""

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.permissions import Role
from trainer.quizzes.models import Purpose
from trainer.recognition.models import Award, AwardKind
from trainer.recognition.queries import monthly_standings
from trainer.recognition.services import RecognitionError, badges_for, give_award, revoke_award


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def test_a_star_clerk_award_is_given_once_per_month_and_audited(db, trainer, make_enrolment):
    trainee = make_enrolment().user
    first = give_award(
        trainer, AwardKind.STAR_CLERK, clock.today(), "服务热情，零禁语", user=trainee
    )
    again = give_award(trainer, AwardKind.STAR_CLERK, clock.today(), "双击", user=trainee)
    db.session.commit()
    assert again.id == first.id and first.month == clock.today().replace(day=1)
    assert db.session.scalar(select(func.count()).select_from(Award)) == 1
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.target_type == "award"))
        == "award.give"
    )


def test_a_model_window_names_a_hall_and_shows_on_its_staff_badges(
    db, trainer, make_hall, make_user
):
    hall = make_hall(name="人民路营业厅")
    staff = make_user(Role.TRAINEE, hall=hall)
    staff.created_at = clock.now() - timedelta(days=62)  # on the hall's staff all month
    newcomer = make_user(Role.TRAINEE, hall=hall)  # joined this month
    give_award(trainer, AwardKind.MODEL_WINDOW, clock.today(), "窗口规范整洁", hall=hall)
    db.session.commit()
    assert [(a.kind, a.hall.name) for a in badges_for(staff)] == [
        (AwardKind.MODEL_WINDOW, "人民路营业厅")
    ]
    assert badges_for(newcomer) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"citation": " "}, "Citation"),
        ({"month_offset": 40}, "Month"),
        ({"winner": "mentor"}, "Winner"),
    ],
)
def test_award_rules(trainer, make_enrolment, make_user, kwargs, message):
    winner = make_user(Role.MENTOR) if kwargs.get("winner") == "mentor" else make_enrolment().user
    with pytest.raises(RecognitionError, match=message):
        give_award(
            trainer,
            AwardKind.STAR_CLERK,
            clock.today() + timedelta(days=kwargs.get("month_offset", 0)),
            kwargs.get("citation", "好"),
            user=winner,
        )


def test_only_trainers_award(make_user, make_enrolment):
    with pytest.raises(RecognitionError):
        give_award(
            make_user(Role.MENTOR),
            AwardKind.STAR_CLERK,
            clock.today(),
            "好",
            user=make_enrolment().user,
        )


def test_a_revoked_award_leaves_the_badges_and_needs_a_reason(db, trainer, make_enrolment):
    trainee = make_enrolment().user
    award = give_award(trainer, AwardKind.STAR_CLERK, clock.today(), "好", user=trainee)
    with pytest.raises(RecognitionError, match="Reason"):
        revoke_award(trainer, award, "")
    revoke_award(trainer, award, "评选有误")
    db.session.commit()
    assert badges_for(trainee) == []


def test_standings_rank_this_months_results(
    db, make_enrolment, make_quiz, make_attempt, play, make_hall
):
    hall = make_hall()
    good, weak, last_month = (make_enrolment().user for _ in range(3))
    for person in (good, weak, last_month):
        person.hall = hall
    quiz = make_quiz(
        [("q1", "norms", None, 1.0), ("q2", "norms", None, 1.0)], purpose=Purpose.FINAL
    )
    make_attempt(good, quiz, [1, 1])
    make_attempt(weak, quiz, [1, 0])
    make_attempt(last_month, quiz, [1, 1], submitted_at=clock.now() - timedelta(days=40))
    play(weak, text="不知道")
    db.session.commit()
    standings, halls, users, _ = monthly_standings(clock.today())
    assert [users[s.user_id].id for s in standings] == [good.id, weak.id]
    assert standings[1].parts["clean"] == 0 and "drill" in standings[1].parts
    assert [h.hall_id for h in halls] == [hall.id] and halls[0].people == 2


def test_the_trainee_dashboard_shows_badges(client, login_as, db, trainer, make_enrolment):
    trainee = make_enrolment().user
    give_award(trainer, AwardKind.STAR_CLERK, clock.today(), "服务热情", user=trainee)
    db.session.commit()
    login_as(trainee)
    body = client.get("/").get_data(as_text=True)
    assert 'data-badge="star_clerk"' in body and "服务热情" in body


def test_a_trainer_gives_an_award_from_the_standings_page(
    client, login_as, db, trainer, make_enrolment, make_quiz, make_attempt
):
    trainee = make_enrolment().user
    make_attempt(trainee, make_quiz([("q1", "norms", None, 1.0)]), [1])
    login_as(trainer)
    page = client.get("/recognition/").get_data(as_text=True)
    assert f'value="user:{trainee.id}"' in page
    client.post(
        "/recognition/awards",
        data={
            "kind": "star_clerk",
            "month": clock.today().strftime("%Y-%m"),
            "winner": f"user:{trainee.id}",
            "citation": "本月考试满分",
        },
    )
    assert [a.citation for a in badges_for(trainee)] == ["本月考试满分"]


def test_giving_the_same_award_twice_says_so_instead_of_given(
    client, login_as, db, trainer, make_enrolment
):
    trainee = make_enrolment().user
    login_as(trainer)
    form = {
        "kind": "star_clerk",
        "month": clock.today().strftime("%Y-%m"),
        "winner": f"user:{trainee.id}",
        "citation": "服务热情",
    }
    first = client.post("/recognition/awards", data=form, follow_redirects=True)
    again = client.post("/recognition/awards", data=form, follow_redirects=True)
    assert "Award given." in first.get_data(as_text=True)
    page = again.get_data(as_text=True)
    assert "already has this award" in page and "Award given." not in page
    assert db.session.scalar(select(func.count()).select_from(Award)) == 1


def test_standings_pass_no_list_of_trainees_and_list_only_the_shown_users(
    db, make_enrolment, make_quiz, make_attempt, monkeypatch
):

    quiz = make_quiz([("q1", "norms", None, 1.0)], purpose=Purpose.FINAL)
    trainees = [make_enrolment().user for _ in range(12)]
    for person in trainees:
        make_attempt(person, quiz, [1])
    largest = []

    ids = {person.id for person in trainees}

    def remember(conn, cursor, statement, parameters, context, executemany):
        values = parameters.values() if isinstance(parameters, dict) else parameters or ()
        largest.append(len(ids.intersection(v for v in values if isinstance(v, int))))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        standings, _, users, _ = monthly_standings(clock.today(), shown=5)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert len(standings) == 12 and len(users) == 5
    assert max(largest) <= 5  # trainees go in as subqueries, only the shown five as ids
