"""In Chromium: final exam passed → certificate downloaded → its QR verifies → revoked shows.

The trainee reaches INTERNSHIP_COMPLETE by trainer override (the internship feature has its
own browser tests); the final exam itself is taken in the browser through the quiz engine.
"""

import subprocess

import pytest

from trainer.certificates.documents import read_pdf
from trainer.certificates.services import certificate_for
from trainer.permissions import Role
from trainer.quizzes.banks import import_questions
from trainer.quizzes.questions import normalise_question
from trainer.quizzes.quiz_setup import upsert_quiz
from trainer.training.path import trainee_path
from trainer.training.stages import Stage

FINAL_QUESTION = {
    "key": "first_inquiry_tf",
    "type": "true_false",
    "category": "first_inquiry",
    "text": "首问负责制下，可以让客户去找别的同事。",
    "answer": False,
}


@pytest.fixture
def final_exam(db, programme):
    import_questions(None, "final_bank", [normalise_question(FINAL_QUESTION)], title="结业题库")
    quiz = upsert_quiz(
        None,
        programme,
        {
            "key": "final-exam",
            "title": "结业考试",
            "purpose": "final",
            "rules": [{"question": "final_bank/first_inquiry_tf"}],
        },
    )
    db.session.commit()
    return quiz


@pytest.fixture
def trainee_ready_for_final(db, make_user, make_hall, make_cohort, make_enrolment):
    trainer = make_user(Role.TRAINER, name="王培训")
    trainee = make_user(Role.TRAINEE, name="李晓红", hall=make_hall(name="高新区旗舰营业厅"))
    enrolment = make_enrolment(trainee, make_cohort(trainer=trainer))
    while enrolment.stage != Stage.INTERNSHIP_COMPLETE:
        trainee_path.advance(
            enrolment,
            enrolment.stage.next(),
            trainer,
            override_reason="E2E set-up: internship has its own tests",
        )
    db.session.commit()
    return enrolment, trainer


def qr_url_of(pdf_path, tmp_path) -> str:
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def test_final_pass_download_verify_and_revoke(
    app,
    live_server,
    new_page,
    browser_login,
    final_exam,
    trainee_ready_for_final,
    tmp_path,
    monkeypatch,
    db,
    screenshot,
):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server)
    enrolment, trainer = trainee_ready_for_final

    # The trainee sits the final exam and passes.
    page = new_page()
    browser_login(page, enrolment.user)
    page.goto("/quizzes")
    page.click("[data-testid=start-final-exam]")
    page.check("input[type=radio][value=false]")
    page.on("dialog", lambda dialog: dialog.accept())  # "submit your answers?"
    page.click("[data-testid=submit-attempt]")
    page.wait_for_selector("[data-testid=result-passed]")

    # The dashboard offers the certificate; the download is the stored file.
    page.goto("/")
    with page.expect_download() as download_info:
        page.click("[data-testid=download-certificate]")
    pdf_path = tmp_path / "downloaded.pdf"
    download_info.value.save_as(pdf_path)
    screenshot(page, "trainee-dashboard")
    db.session.expire_all()
    certificate = certificate_for(enrolment)
    assert pdf_path.read_bytes() == read_pdf(certificate)

    # Anyone scanning the QR code sees the certificate as valid.
    url = qr_url_of(pdf_path, tmp_path)
    assert url == f"{live_server}/verify/{certificate.verification_code}"
    visitor = new_page()
    visitor.goto(url)
    result = visitor.locator("[data-testid=verify-result]")
    assert result.get_attribute("data-status") == "valid"
    assert visitor.locator("[data-testid=verify-name]").inner_text() == "李晓红"
    screenshot(visitor, "verify-valid")

    # The trainer revokes it with a reason…
    staff = new_page()
    browser_login(staff, trainer)
    staff.goto("/certificates")
    staff.click(f"text={certificate.serial}")
    staff.fill("textarea[name=reason]", "考试作弊，撤销上岗资格")
    staff.on("dialog", lambda dialog: dialog.accept())
    staff.click("[data-testid=revoke]")
    staff.wait_for_selector("[data-testid=certificate-status][data-status=revoked]")

    # …and the same URL now says revoked.
    visitor.goto(url)
    assert visitor.locator("[data-testid=verify-result]").get_attribute("data-status") == "revoked"
    screenshot(visitor, "verify-revoked")
