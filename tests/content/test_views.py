"""Pages: modules and progress, step cards, cue cards, editing with preview, guards."""

from datetime import timedelta

from sqlalchemy import event, select

from tests.content.conftest import shipped_programme_modules
from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.content.models import ContentModule, ModulePage, PageStudy, Procedure
from trainer.permissions import Role


def test_trainee_sees_modules_with_progress(client, login_as, make_enrolment, library):
    login_as(make_enrolment().user)
    html = client.get("/modules").get_data(as_text=True)
    assert "服务流程" in html and "首问负责制" in html
    assert 'data-testid="module-locked"' in html  # 服务禁语 waits for 服务用语


def test_trainee_marks_a_page_studied(db, client, login_as, make_enrolment, library):
    enrolment = make_enrolment()
    login_as(enrolment.user)
    assert client.post("/modules/norms/pages/before_opening/opened").status_code == 204
    clock.set_offset(timedelta(minutes=10))  # read it
    response = client.post("/modules/norms/pages/before_opening/studied")
    assert response.status_code == 302
    assert "page=at_the_counter" in response.headers["Location"]
    assert db.session.scalar(select(PageStudy).where(PageStudy.user_id == enrolment.user.id))
    html = client.get("/modules/norms").get_data(as_text=True)
    assert 'data-testid="page-studied"' in html


def test_locked_module_shows_no_content_and_refuses_studying(
    db, client, login_as, make_enrolment, library
):
    login_as(make_enrolment().user)
    html = client.get("/modules/forbidden_phrases").get_data(as_text=True)
    assert 'data-testid="module-locked"' in html
    assert "推诿类禁语" not in html
    response = client.post("/modules/forbidden_phrases/pages/why/studied")
    assert response.status_code == 302
    assert db.session.scalar(select(PageStudy)) is None


def test_trainer_reads_a_locked_module(client, login_as, make_user, library):
    login_as(make_user(Role.TRAINER))
    html = client.get("/modules/forbidden_phrases?page=deflecting").get_data(as_text=True)
    assert "这不归我管" in html  # the embedded phrase table


def test_module_page_embeds_procedure_cards(client, login_as, make_user, library):
    login_as(make_user(Role.TRAINEE))
    html = client.get("/modules/procedures?page=account_services").get_data(as_text=True)
    assert 'id="step-verify_identity"' in html
    assert "人证合一" in html


def test_markdown_is_sanitised(db, client, login_as, make_user, library):
    page = db.session.scalar(select(ModulePage).where(ModulePage.key == "what"))
    page.body = "正文<script>alert(1)</script>[链接](javascript:alert(1))"
    db.session.commit()
    login_as(make_user(Role.TRAINER))
    html = client.get("/modules/first_inquiry?page=what").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html


def test_procedure_page_shows_step_cards_with_typed_reminders(client, login_as, make_user, library):
    login_as(make_user(Role.TRAINEE))
    html = client.get("/procedures/open_account").get_data(as_text=True)
    assert "实名核验" in html
    for kind in ("forgettable", "error_prone", "important"):
        assert f'class="reminder reminder-{kind}"' in html
    assert 'data-testid="edit-step"' not in html


def test_cue_card_is_one_printable_page(client, login_as, make_user, library):
    login_as(make_user(Role.MENTOR))
    html = client.get("/procedures/complaint_handling/card").get_data(as_text=True)
    assert 'data-testid="cue-card"' in html
    assert "值班经理" in html


def test_unknown_procedure_is_404(client, login_as, make_user, library):
    login_as(make_user(Role.TRAINEE))
    assert client.get("/procedures/nope").status_code == 404


def test_trainee_cannot_edit(client, login_as, make_user, library):
    login_as(make_user(Role.TRAINEE))
    assert client.get("/procedures/open_account/steps/greet/edit").status_code == 403
    assert client.post("/procedures/open_account/steps/greet/edit").status_code == 403
    assert client.get("/phrases/dont_know/edit").status_code == 403


def test_anonymous_is_sent_to_login(client, library):
    assert client.get("/modules").status_code == 302
    assert client.get("/phrases/check").status_code == 302


def step_form(**overrides):
    data = {
        "title": "起身迎候",
        "standard": "起身，微笑。",
        "script": "您好，欢迎光临！",
        "reminders": "易忘：重新起身迎候",
    }
    return {**data, **overrides}


def test_preview_shows_the_change_without_saving(db, client, login_as, make_user, library):
    login_as(make_user(Role.TRAINER))
    html = client.post(
        "/procedures/open_account/steps/greet/edit",
        data=step_form(preview="1", script="您好，这是预览的话术"),
    ).get_data(as_text=True)
    assert "这是预览的话术" in html
    procedure = db.session.scalar(select(Procedure).where(Procedure.key == "open_account"))
    assert procedure.version == 1


def test_saving_a_step_redirects_and_audits(db, client, login_as, make_user, library):
    trainer = login_as(make_user(Role.TRAINER))
    response = client.post(
        "/procedures/open_account/steps/greet/edit",
        data=step_form(save="1", script="您好，欢迎光临营业厅！"),
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "procedure.step_edit"))
    assert entry.actor_id == trainer.id
    assert "您好，欢迎光临营业厅！" in client.get("/procedures/open_account").get_data(as_text=True)
    assert client.get("/procedures/open_account/history").status_code == 200


def test_forbidden_phrase_in_edited_script_is_shown_as_an_error(
    client, login_as, make_user, library
):
    login_as(make_user(Role.TRAINER))
    response = client.post(
        "/procedures/open_account/steps/greet/edit", data=step_form(save="1", script="急什么，坐下")
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_dashboard_shows_the_modules_panel(client, login_as, make_enrolment, library):
    login_as(make_enrolment().user)
    html = client.get("/").get_data(as_text=True)
    assert 'id="panel-modules-title"' in html
    assert f"0/{len(shipped_programme_modules())}" in html


def test_trainer_dashboard_shows_the_library_panel(client, login_as, make_user, library):
    login_as(make_user(Role.TRAINER))
    assert 'id="panel-library-title"' in client.get("/").get_data(as_text=True)


def test_module_list_has_no_query_per_module(db, client, login_as, make_enrolment, library):
    login_as(make_enrolment().user)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get("/modules")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    modules = db.session.scalar(select(ContentModule.id).limit(1))
    assert modules and len(statements) < 15


def phrase_form(**overrides):
    data = {
        "phrase": "快点",
        "category": "催促",
        "reason": "催促客户",
        "alternative": "您慢慢来",
        "variants": "快一点\n麻利点",
        "allowed_contexts": "我快点",
    }
    return {**data, **overrides}


def test_phrase_preview_tries_the_sample_without_saving(db, client, login_as, make_user, library):
    login_as(make_user(Role.TRAINER))
    html = client.post(
        "/phrases/hurry_up/edit", data=phrase_form(preview="1", sample="你麻利 点！")
    ).get_data(as_text=True)
    assert 'data-testid="sample-flagged"' in html and "麻利 点" in html
    html = client.post(
        "/phrases/hurry_up/edit", data=phrase_form(preview="1", sample="我快点帮您办")
    ).get_data(as_text=True)
    assert 'data-testid="sample-clean"' in html
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action == "phrase.edit"))


def test_saving_a_phrase_is_audited(db, client, login_as, make_user, library):
    login_as(make_user(Role.TRAINER))
    response = client.post("/phrases/hurry_up/edit", data=phrase_form(save="1"))
    assert response.status_code == 302
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "phrase.edit"))


def test_procedures_are_listed_in_the_order_the_modules_teach_them(
    client, login_as, make_user, library
):
    login_as(make_user(Role.TRAINEE))
    html = client.get("/procedures").get_data(as_text=True)
    # 开户 is taught first (procedures module, first page); 值班 only in the last module.
    assert html.index("/procedures/open_account") < html.index("/procedures/sim_replacement")
    assert html.index("/procedures/sim_replacement") < html.index("/procedures/duty_shift")
    # by key, account_closure would come first
    assert html.index("/procedures/open_account") < html.index("/procedures/account_closure")
