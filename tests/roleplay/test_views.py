"""The drill pages through the test client: what is shown when, and who may see it."""

import csv
import io
import re

import pytest
from sqlalchemy import event, select

from trainer.extensions import db
from trainer.permissions import Role
from trainer.roleplay import library_refs
from trainer.roleplay.models import DrillSession, DrillStep, ElementExample
from trainer.roleplay.services import choose, reply, scenario_by_key, start_drill
from trainer.roleplay.views import NEW_SCENARIO_TEMPLATE

CARELESS = "这不归我管，你找领导去吧。"


@pytest.fixture
def trainee(make_user, login_as):
    return login_as(make_user(Role.TRAINEE))


def start(client, key="complaint_overcharge_escalation", mode="practice"):
    response = client.post(f"/drills/{key}/start", data={"mode": mode})
    assert response.status_code == 302
    return int(re.search(r"/drills/sessions/(\d+)", response.headers["Location"]).group(1))


def test_the_drill_list_shows_every_loaded_scenario(client, trainee, loaded):
    html = client.get("/drills").get_data(as_text=True)
    assert html.count("data-scenario=") == len(list(library_refs.SCENARIOS_DIR.glob("*.yaml")))
    assert "话费多扣的投诉：请值班经理当面处理" in html


def test_choices_are_offered_without_scores_or_feedback(client, trainee, loaded):
    html = client.get(f"/drills/sessions/{start(client)}").get_data(as_text=True)
    assert "你们又乱扣我话费" in html
    assert 'data-testid="choice-2"' in html
    assert "先安抚情绪" not in html  # choice feedback stays on the server until chosen
    assert "score" not in html.lower().replace("scene-score", "")


def test_a_typed_reply_shows_highlights_alternatives_found_missing_and_the_model_line(
    client, trainee, loaded, phrases_in_db, db
):
    session_id = start(client)
    client.post(
        f"/drills/sessions/{session_id}/choose", data={"turn": "t1", "position": 0, "choice": 0}
    )
    response = client.post(
        f"/drills/sessions/{session_id}/reply",
        data={"turn": "t2", "position": 1, "reply": CARELESS},
    )
    assert response.status_code == 302
    html = client.get(f"/drills/sessions/{session_id}").get_data(as_text=True)
    assert re.search(
        r'data-testid="highlight" data-start="0" data-end="5"[^>]*>这不归我管</mark>', html
    )
    assert "这个问题我来负责，我带您过去。" in html
    assert 'data-testid="element-apologise" data-found="no"' in html
    assert "非常抱歉给您添麻烦了" in html  # complaint_handling.apologise from scripts_library


def test_exam_mode_withholds_feedback_until_the_end(client, trainee, loaded, phrases_in_db):
    session_id = start(client, mode="exam")
    client.post(
        f"/drills/sessions/{session_id}/choose", data={"turn": "t1", "position": 0, "choice": 0}
    )
    client.post(
        f"/drills/sessions/{session_id}/reply",
        data={"turn": "t2", "position": 1, "reply": CARELESS},
    )
    html = client.get(f"/drills/sessions/{session_id}").get_data(as_text=True)
    assert "先安抚情绪" not in html and 'data-testid="highlight"' not in html
    client.post(
        f"/drills/sessions/{session_id}/choose", data={"turn": "t3", "position": 2, "choice": 1}
    )  # 找领导去 → bad ending
    html = client.get(f"/drills/sessions/{session_id}").get_data(as_text=True)
    assert 'data-outcome="bad"' in html
    assert "先安抚情绪" in html and 'data-testid="highlight"' in html


def test_submitting_the_same_reply_twice_stores_it_once(client, trainee, loaded, db):
    session_id = start(client)
    for _ in range(2):
        client.post(
            f"/drills/sessions/{session_id}/choose", data={"turn": "t1", "position": 0, "choice": 0}
        )
    assert len(db.session.get(DrillSession, session_id).steps) == 1


def test_the_draft_autosaves(client, trainee, loaded, db):
    session_id = start(client)
    response = client.post(f"/drills/sessions/{session_id}/draft", json={"text": "对不起"})
    assert response.get_json() == {"saved": True}
    assert db.session.get(DrillSession, session_id).draft == "对不起"


def test_another_trainee_cannot_open_my_drill(client, loaded, make_user, login_as):
    owner = make_user(Role.TRAINEE)
    session = start_drill(owner, scenario_by_key("bill_payment_queue"))
    db.session.commit()
    login_as(make_user(Role.TRAINEE))
    assert client.get(f"/drills/sessions/{session.id}").status_code == 404
    assert (
        client.post(f"/drills/sessions/{session.id}/draft", json={"text": "x"}).status_code == 404
    )


def finished_careless_drill(db, trainee, complaint, matcher):
    session = start_drill(trainee, complaint)
    choose(session, "t1", 0, 0)
    step = reply(session, "t2", 1, CARELESS, matcher)
    choose(session, "t3", 2, 1)
    db.session.commit()
    return step


def test_a_trainer_overrides_an_element_in_the_review_queue(
    client, make_user, login_as, complaint, matcher, db
):
    step = finished_careless_drill(db, make_user(Role.TRAINEE), complaint, matcher)
    login_as(make_user(Role.TRAINER))
    queue = client.get("/roleplay/review").get_data(as_text=True)
    assert f'data-step="{step.id}"' in queue
    response = client.post(
        f"/roleplay/review/{step.id}",
        data={
            "verdict-apologise": "found",
            "verdict-restate": "auto",
            "verdict-next_step": "auto",
            "verdict-reassure": "auto",
            "comment": "语气里有歉意",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    step = db.session.get(DrillStep, step.id)
    assert step.override_map() == {"apologise": True}
    assert step.reviewed_at is not None
    assert f'data-step="{step.id}"' not in client.get("/roleplay/review").get_data(as_text=True)


def test_a_changed_verdict_without_comment_is_shown_back_with_an_error(
    client, make_user, login_as, complaint, matcher, db
):
    step = finished_careless_drill(db, make_user(Role.TRAINEE), complaint, matcher)
    login_as(make_user(Role.TRAINER))
    response = client.post(f"/roleplay/review/{step.id}", data={"verdict-apologise": "found"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_the_editor_previews_the_graph_and_saves_a_new_version(
    client, make_user, login_as, complaint, db
):
    login_as(make_user(Role.TRAINER))
    page = client.get(f"/roleplay/scenarios/{complaint.key}/edit").get_data(as_text=True)
    assert 'data-testid="scenario-graph"' in page and 'data-node="t:t1_angrier"' in page
    source = complaint.versions[-1].source.replace("pass_mark: 75", "pass_mark: 65")
    response = client.post(
        f"/roleplay/scenarios/{complaint.key}/edit", data={"source": source, "action": "save"}
    )
    assert response.status_code == 302
    db.session.refresh(complaint)
    assert complaint.current_version == 2


def test_the_editor_shows_problems_and_does_not_save_them(
    client, make_user, login_as, complaint, db
):
    login_as(make_user(Role.TRAINER))
    source = complaint.versions[-1].source.replace("next: t5", "next: t6")
    html = client.post(
        f"/roleplay/scenarios/{complaint.key}/edit", data={"source": source, "action": "save"}
    ).get_data(as_text=True)
    assert "turns.t4.next: unknown turn &#39;t6&#39;" in html
    db.session.refresh(complaint)
    assert complaint.current_version == 1


def test_a_trainer_plays_a_scenario_as_a_trainee_in_preview(
    client, make_user, login_as, complaint, db
):
    login_as(make_user(Role.TRAINER))
    session_id = start(client, complaint.key)
    session = db.session.get(DrillSession, session_id)
    assert session.preview is True
    assert "你们又乱扣我话费" in client.get(f"/drills/sessions/{session_id}").get_data(as_text=True)


def test_dashboards_show_the_drill_panels(client, make_user, login_as, loaded):
    login_as(make_user(Role.TRAINEE))
    assert 'id="panel-drills-title"' in client.get("/").get_data(as_text=True)


def test_every_move_is_exported_with_its_branch_and_findings(
    client, make_user, login_as, complaint, matcher, db
):

    step = finished_careless_drill(db, make_user(Role.TRAINEE), complaint, matcher)
    login_as(make_user(Role.TRAINER))
    response = client.get("/roleplay/moves.csv?raw=1")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["turn"], r["kind"], r["points"]) for r in rows] == [
        ("t1", "choice", "10"),
        ("t2", "reply", "0"),
        ("t3", "choice", "0"),
    ]
    assert rows[1]["move"] == step.reply_text
    assert rows[1]["forbidden"] == "这不归我管@0、找领导去@7"
    assert rows[1]["missing"] == "apologise、restate、next_step、reassure"
    assert rows[2]["move"] == "退费我办不了，你找领导去。"
    assert rows[2]["ending"] == "formal_complaint"
    shown = client.get("/roleplay/moves.csv").get_data(as_text=True).lstrip("\ufeff")
    header, first = list(csv.reader(io.StringIO(shown)))[:2]
    assert header[:3] == ["Drill", "Employee number", "Name"] and first[8] == "Choice"


def count_queries(db, fn) -> int:
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return len(statements)


@pytest.mark.parametrize("url", ["/roleplay/review", "/roleplay/sessions", "/roleplay/moves.csv"])
def test_trainer_lists_do_not_query_per_row(
    client, make_user, login_as, complaint, matcher, db, url
):
    login_as(make_user(Role.TRAINER))
    finished_careless_drill(db, make_user(Role.TRAINEE), complaint, matcher)
    few = count_queries(db, lambda: client.get(url))
    for _ in range(4):
        finished_careless_drill(db, make_user(Role.TRAINEE), complaint, matcher)
    assert count_queries(db, lambda: client.get(url)) == few


def test_a_trainer_creates_a_new_scenario_in_the_editor(client, make_user, login_as, db):
    login_as(make_user(Role.TRAINER))
    assert 'data-testid="scenario-graph"' in client.get("/roleplay/scenarios/new").get_data(
        as_text=True
    )
    source = NEW_SCENARIO_TEMPLATE.replace("key: new_scenario", "key: queue_greeting")
    response = client.post("/roleplay/scenarios/new", data={"source": source, "action": "save"})
    assert response.headers["Location"].endswith("/roleplay/scenarios/queue_greeting/edit")
    assert scenario_by_key("queue_greeting").versions[0].origin == "editor"


def test_the_editor_refuses_to_change_a_scenarios_key(client, make_user, login_as, complaint, db):
    login_as(make_user(Role.TRAINER))
    source = complaint.versions[-1].source.replace(
        "key: complaint_overcharge_escalation", "key: renamed"
    )
    html = client.post(
        f"/roleplay/scenarios/{complaint.key}/edit", data={"source": source, "action": "save"}
    ).get_data(as_text=True)
    assert "complaint_overcharge_escalation:2: key: cannot change" in html
    assert scenario_by_key_exists("renamed") is False


def scenario_by_key_exists(key: str) -> bool:
    return scenario_by_key(key) is not None


def test_the_drill_list_marks_the_drills_required_for_my_programme(
    client, make_enrolment, login_as, loaded
):
    login_as(make_enrolment().user)
    html = client.get("/drills").get_data(as_text=True)
    assert 'data-testid="required-complaint_overcharge_escalation"' in html
    assert 'data-testid="required-sim_replacement_elderly"' not in html


def test_a_trainer_approves_an_override_as_an_example_and_the_editor_lists_it(
    client, make_user, login_as, complaint, matcher, db
):
    step = finished_careless_drill(db, make_user(Role.TRAINEE), complaint, matcher)
    login_as(make_user(Role.TRAINER))
    verdicts = {f"verdict-{e['key']}": "auto" for e in step.findings["elements"]}
    response = client.post(
        f"/roleplay/review/{step.id}",
        data={
            **verdicts,
            "verdict-apologise": "found",
            "example-apologise": "1",
            "comment": "有歉意",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/roleplay/scenarios/{complaint.key}/edit").get_data(as_text=True)
    assert 'data-testid="element-examples"' in page
    assert step.reply_text in page


def test_a_trainer_adds_and_removes_an_example_in_the_editor(
    client, make_user, login_as, complaint, db
):
    login_as(make_user(Role.TRAINER))
    url = f"/roleplay/scenarios/{complaint.key}/examples"
    data = {"turn": "t2", "element": "next_step", "text": "这笔钱我一查到底", "found": "yes"}
    assert client.post(url, data=data).status_code == 302
    page = client.get(f"/roleplay/scenarios/{complaint.key}/edit").get_data(as_text=True)
    assert "这笔钱我一查到底" in page
    example = db.session.scalar(select(ElementExample))
    assert client.post(f"{url}/{example.id}/delete").status_code == 302
    assert db.session.scalar(select(ElementExample)) is None
