"""Security gates across features: cookies, session fixation, CSP and no inline scripts,
uploads checked by type and size, Markdown sanitised, no open redirects."""

import io
import re
import shutil
from pathlib import Path

import pytest
from flask import session
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from trainer import ROOT
from trainer.accounts.models import User
from trainer.content.loading import load_library
from trainer.extensions import db
from trainer.permissions import Role
from trainer.quizzes.models import QuestionVersion
from trainer.quizzes.presenters import question_html

TEMPLATES = ROOT / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
XSS = (
    '<script>alert("xss")</script><img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)">x</a>'
)


def log_in(client, user) -> None:
    client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})


def set_cookie_headers(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user()
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    session_cookie = next(c for c in set_cookie_headers(response) if c.startswith("session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie  # plain HTTP in tests


def test_cookies_are_secure_when_configured(monkeypatch, make_app):
    monkeypatch.setenv("TRAINER_SECURE_COOKIES", "1")
    secure = make_app()
    assert secure.config["SESSION_COOKIE_SECURE"] is True
    with secure.test_request_context():
        session["x"] = 1
        response = secure.make_response("")
        secure.session_interface.save_session(secure, session, response)
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_starts_a_fresh_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "attacker-chosen"
    before = client.get_cookie("session").value
    log_in(client, user)
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert str(session.get("_user_id", "")).split(":")[0] == str(user.id)


def all_roles_user(make_user):
    return make_user(*Role)


def parameterless_get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            yield rule.rule


def test_every_html_page_carries_the_csp_and_security_headers(app, client, make_user):
    log_in(client, all_roles_user(make_user))
    missing = []
    checked = 0
    for path in parameterless_get_routes(app):
        if path in ("/logout",):
            continue
        response = client.get(path)
        if response.mimetype != "text/html":
            continue
        checked += 1
        csp = response.headers.get("Content-Security-Policy", "")
        script_src = csp.split("script-src")[1].split(";")[0] if "script-src" in csp else ""
        if "'self'" not in script_src or "unsafe-inline" in script_src:
            missing.append(path)
        if response.headers.get("X-Frame-Options") != "DENY":
            missing.append(path)
    assert checked > 10
    assert missing == []
    not_found = client.get("/no-such-page")
    assert "script-src 'self'" in not_found.headers["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            offenders += [
                f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in pattern.finditer(text)
            ]
    assert offenders == []


def test_no_rendered_page_has_an_inline_script(app, client, make_user):
    log_in(client, all_roles_user(make_user))
    offenders = []
    for path in parameterless_get_routes(app):
        response = client.get(path)
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            if INLINE_SCRIPT.search(html) or INLINE_HANDLER.search(html):
                offenders.append(path)
    assert offenders == []


# ---- uploads -----------------------------------------------------------------------------


def user_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.fixture
def small_uploads(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)


@pytest.mark.parametrize(
    ("path", "extra"),
    [("/admin/users/import", {}), ("/manage/banks/import", {"format": "gift"})],
)
def test_an_upload_that_is_too_large_gets_413(client, make_user, db, small_uploads, path, extra):
    log_in(client, make_user(Role.ADMIN, Role.TRAINER))
    before = user_count(db)
    big = io.BytesIO(b"employee_no,name,roles\n" + b"x" * 10_000)
    response = client.post(
        path, data={"file": (big, "big.csv"), **extra}, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert user_count(db) == before


def test_the_user_import_refuses_a_file_that_is_not_csv(client, make_user, db):
    log_in(client, make_user(Role.ADMIN))
    before = user_count(db)
    response = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(b"MZ\x90\x00binary"), "tool.exe")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert 'class="alert alert-danger' in response.get_data(as_text=True)
    assert user_count(db) == before


def test_a_binary_bank_upload_is_refused_with_the_line(client, make_user):
    log_in(client, make_user(Role.TRAINER))
    response = client.post(
        "/manage/banks/import",
        data={"file": (io.BytesIO(b"\xff\xfe\x00\x81binary"), "bank.gift"), "format": "gift"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "bank.gift:1" in response.get_data(as_text=True)


# ---- Markdown ----------------------------------------------------------------------------


def assert_sanitised(html: str) -> None:
    assert "<script" not in html.lower().replace('<script src="/static', "")
    assert 'alert("xss")' not in html
    assert "onerror" not in html.lower()
    assert "javascript:" not in html.lower()


def test_module_markdown_is_sanitised(app, client, make_user, programme, tmp_path):
    library = tmp_path / "scripts_library"
    shutil.copytree(ROOT / "scripts_library", library)
    conduct = library / "modules" / "conduct.yaml"
    text = conduct.read_text(encoding="utf-8")
    conduct.write_text(
        text.replace("      > 上岗前照一照镜子", f"      {XSS}\n\n      > 上岗前照一照镜子", 1),
        encoding="utf-8",
    )
    load_library(Path(library))
    db.session.commit()
    log_in(client, make_user(Role.TRAINEE))
    html = client.get("/modules/conduct").get_data(as_text=True)
    assert "上岗前照一照镜子" in html  # the page with the planted Markdown was rendered
    assert_sanitised(html)


def test_question_markdown_is_sanitised(client, make_user, db):
    log_in(client, make_user(Role.TRAINER))
    gift = f"::xss::[markdown]**问候** {XSS} 首问负责制要求推诿吗？{{F}}\n".encode()
    response = client.post(
        "/manage/banks/import",
        data={"file": (io.BytesIO(gift), "xss.gift"), "format": "gift", "bank": "xss"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert_sanitised(client.get(response.headers["Location"]).get_data(as_text=True))
    version = db.session.scalar(select(QuestionVersion))
    assert version.text_format == "markdown"
    html = str(question_html(version.text, version.text_format))  # as attempts render it
    assert "<strong>问候</strong>" in html and "首问负责制要求推诿吗" in html
    assert_sanitised(html)


# ---- redirects ---------------------------------------------------------------------------

OFF_SITE = ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_form_and_language_switch_never_redirect_off_site(client, make_user, target):
    user = make_user(Role.TRAINER)
    response = client.post(
        "/login", data={"employee_no": user.employee_no, "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == "/"
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_login_redirect_keeps_next_on_site(client, target):
    response = client.get(f"/login?next={target}")
    assert response.status_code == 200
    assert "evil.example" not in response.headers.get("Location", "")
