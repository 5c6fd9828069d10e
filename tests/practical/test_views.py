"""The practical-assessment pages: the observer's form, 404 for someone else's mentee, the
trainee's result, the trainers' overview, withdrawal."""

import re

from sqlalchemy import func, select

from trainer import clock
from trainer.permissions import Role
from trainer.practical.models import PracticalAssessment


def form_data(client, enrolment_id, **results):
    page = client.get(f"/practical/trainees/{enrolment_id}/assess")
    assert page.status_code == 200
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    data = {"observed_on": "", "comment": "", "token": token}
    for key in ("greeting", "real_name", "read_back", "phrases", "closing"):
        data[f"item-{key}"] = results.get(key, "met")
    return data


def observed_today(data):
    data["observed_on"] = clock.today().isoformat()
    return data


def test_the_mentor_fills_in_the_checklist_and_sees_the_result(
    client, login_as, finalist, mentor, db
):
    login_as(mentor)
    data = observed_today(form_data(client, finalist.id, phrases="partly"))
    data["note-phrases"] = "查询时没说“请稍等”"
    response = client.post(f"/practical/trainees/{finalist.id}/assess", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Passed" in page and "90 / 100" in page and "查询时没说“请稍等”" in page


def test_a_double_submit_records_one_assessment(client, login_as, finalist, mentor, db):
    login_as(mentor)
    data = observed_today(form_data(client, finalist.id))
    locations = {
        client.post(f"/practical/trainees/{finalist.id}/assess", data=data).headers["Location"]
        for _ in range(2)
    }
    assert len(locations) == 1  # the second tap lands on the same result
    assert db.session.scalar(select(func.count()).select_from(PracticalAssessment)) == 1


def test_a_missing_result_is_refused_and_the_form_keeps_the_answers(
    client, login_as, finalist, mentor
):
    login_as(mentor)
    data = observed_today(form_data(client, finalist.id, closing=""))
    response = client.post(f"/practical/trainees/{finalist.id}/assess", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "办结送别" in body
    assert 'value="met" id="item-greeting-met" checked' in body


def test_another_mentor_gets_404_for_the_form_and_the_result(
    client, login_as, finalist, mentor, assess, make_user, make_hall
):
    assessment = assess(mentor, finalist)
    login_as(make_user(Role.MENTOR, hall=make_hall()))
    assert client.get(f"/practical/trainees/{finalist.id}/assess").status_code == 404
    assert client.post(f"/practical/trainees/{finalist.id}/assess", data={}).status_code == 404
    assert client.get(f"/practical/assessments/{assessment.id}").status_code == 404


def test_the_trainee_sees_their_result_and_the_comment(client, login_as, finalist, mentor, assess):
    assess(mentor, finalist, read_back="not_met", comment="号码要逐位复述后再提交")
    login_as(finalist.user)
    mine = client.get("/practical/my").get_data(as_text=True)
    assert "Not passed" in mine
    detail_url = re.search(r'href="(/practical/assessments/\d+)"', mine).group(1)
    detail = client.get(detail_url).get_data(as_text=True)
    assert "号码要逐位复述后再提交" in detail and "Critical items not met" in detail
    dashboard = client.get("/").get_data(as_text=True)
    assert 'data-testid="panel-practical"' in dashboard


def test_another_trainee_cannot_read_the_result(
    client, login_as, finalist, mentor, assess, make_user
):
    assessment = assess(mentor, finalist)
    login_as(make_user(Role.TRAINEE))
    assert client.get(f"/practical/assessments/{assessment.id}").status_code == 404


def test_the_trainer_overview_lists_who_waits_and_the_latest_results(
    client, login_as, make_finalist, checklist, mentor, assess, make_user
):
    waiting, failed = make_finalist(), make_finalist()
    assess(mentor, failed, real_name="not_met", comment="未做人像比对")
    login_as(make_user(Role.TRAINER))
    page = client.get("/practical/").get_data(as_text=True)
    assert f'data-testid="assess-{waiting.id}"' in page
    assert f'data-testid="assess-{failed.id}"' in page
    assert "证件原件" in page  # the critical item not met, in the latest results


def test_the_observer_withdraws_with_a_reason(client, login_as, finalist, mentor, assess, db):
    assessment = assess(mentor, finalist)
    login_as(mentor)
    response = client.post(
        f"/practical/assessments/{assessment.id}/withdraw", data={"reason": "录错了学员"}
    )
    assert response.status_code == 302
    db.session.refresh(assessment)
    assert assessment.withdrawal_reason == "录错了学员"


def test_a_mentor_sees_the_trainees_to_assess_on_the_dashboard(client, login_as, finalist, mentor):
    login_as(mentor)
    page = client.get("/").get_data(as_text=True)
    assert f'data-testid="assess-{finalist.id}"' in page
