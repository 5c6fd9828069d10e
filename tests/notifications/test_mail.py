"""E-mail: sent by the mail job (never in the request), one message per user in the user's
language, to a real SMTP server when MAIL_SERVER is set, to the log otherwise; a user who
turned e-mail off gets none. Nothing is created inside a transaction that rolls back."""

import logging
import socketserver
import threading
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from trainer import clock
from trainer.events import announce
from trainer.internship.models import Grade
from trainer.internship.services import new_idempotency_token, sign_off_task
from trainer.notifications.mail import send_pending_mail
from trainer.notifications.models import MailState, Notification
from trainer.notifications.services import set_email_preference


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every message's bytes land in server.messages."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test SMTP")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "DATA":
                self.reply("354 end with .")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.messages.append(message_from_bytes(data, policy=policy.default))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("EHLO", "HELO"):
                self.reply("250 test")
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server(app, monkeypatch):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", f"127.0.0.1:{server.server_address[1]}")
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def signed_trainee(make_placement, sign, task, db):
    placement = make_placement()
    trainee = placement.enrolment.user
    trainee.email = "trainee@example.cn"
    db.session.commit()
    sign(placement, task("observe_open_account"), grade=Grade.EXCELLENT)
    sign(placement, task("greet_customers"))
    return trainee


def mail_states(db, user) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Notification.mail_state).where(Notification.user_id == user.id))
    )


def test_the_mail_job_sends_one_message_per_user_over_smtp(smtp_server, signed_trainee, db):
    assert mail_states(db, signed_trainee) == [MailState.PENDING] * 2  # nothing sent yet
    assert send_pending_mail() == "1 sent"
    (message,) = smtp_server.messages
    assert message["To"] == "trainee@example.cn"
    body = message.get_content()
    assert "观摩开户" in body and "站立迎客" in body
    assert mail_states(db, signed_trainee) == [MailState.SENT] * 2
    assert send_pending_mail() == "nothing to send"  # a second run sends nothing again


def test_the_mail_is_in_the_users_language(smtp_server, signed_trainee, db):
    signed_trainee.locale = "zh_CN"
    db.session.commit()
    send_pending_mail()
    (message,) = smtp_server.messages
    assert "签" in message.get_content() and "条新通知" in message["Subject"]


def test_without_mail_server_the_mail_goes_to_the_log(signed_trainee, db, caplog):
    with caplog.at_level(logging.WARNING, logger="trainer.notifications.mail"):
        assert send_pending_mail() == "1 logged"
    assert signed_trainee.employee_no in caplog.text and "观摩开户" in caplog.text
    assert mail_states(db, signed_trainee) == [MailState.LOGGED] * 2


def test_a_user_who_turned_email_off_gets_no_mail(smtp_server, signed_trainee, db, sign, task):
    set_email_preference(signed_trainee, False)
    db.session.commit()
    assert mail_states(db, signed_trainee) == [MailState.SKIPPED] * 2  # queued ones too
    send_pending_mail()
    assert smtp_server.messages == []


def test_new_notifications_of_an_opted_out_user_are_not_queued_for_mail(
    make_placement, sign, task, db
):
    placement = make_placement()
    set_email_preference(placement.enrolment.user, False)
    db.session.commit()
    sign(placement, task("observe_open_account"))
    assert mail_states(db, placement.enrolment.user) == [MailState.SKIPPED]


def test_an_smtp_failure_marks_the_mail_failed_and_keeps_the_notification(
    signed_trainee, db, app, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1:1")  # nothing listens there
    assert send_pending_mail() == "1 failed"
    assert mail_states(db, signed_trainee) == [MailState.FAILED] * 2


def test_no_notification_is_created_in_a_transaction_that_rolls_back(make_placement, task, db):
    placement = make_placement()
    sign_off_task(
        placement.mentor,
        placement,
        task("observe_open_account"),
        observed_on=clock.today(),
        observed_items={0, 1},
        rating=4,
        grade=Grade.PASS,
        comment="",
        idempotency_token=new_idempotency_token(),
    )
    announce("internship.log_added", entry_id=1)
    db.session.rollback()
    db.session.commit()  # a later commit must not run what the rolled-back work queued
    assert db.session.scalars(select(Notification)).all() == []
