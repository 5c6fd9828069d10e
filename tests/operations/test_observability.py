"""Health, readiness, a log line per request with its id, metrics behind a token."""

import json
import logging

import pytest
from flask import g
from flask_migrate import downgrade, upgrade
from sqlalchemy import event

from tests.conftest import fresh_database
from trainer.operations.requestlog import JsonFormatter, request_fields
from trainer.permissions import Role


@pytest.fixture(scope="module")
def migrated_url(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("ready"), "trainer_ready") as url:
        yield url


@pytest.fixture
def migrated_app(make_app, migrated_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=migrated_url)
    with app.app_context():
        upgrade()
    return app


def test_healthz_answers_while_the_process_runs(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(migrated_app):
    response = migrated_app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "not configured"}


def test_readyz_fails_with_a_wrong_database(make_app, dead_port):
    wrong = make_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://x@127.0.0.1:{dead_port}/x")
    response = wrong.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"].startswith("error: OperationalError")


def test_readyz_fails_when_the_schema_is_not_at_the_latest_migration(migrated_app):
    with migrated_app.app_context():
        downgrade(revision="-1")
    response = migrated_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "code expects" in response.get_json()["checks"]["database"]


def test_readyz_fails_when_the_configured_redis_is_down(migrated_app, dead_port):
    migrated_app.config["REDIS_URL"] = f"redis://127.0.0.1:{dead_port}/5"
    response = migrated_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"].startswith("error:")


def test_every_request_logs_one_line_with_its_id_user_route_status_and_latency(
    client, login_as, make_user, caplog
):
    user = login_as(make_user(Role.TRAINEE))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="trainer.requests"):
        response = client.get("/account/password")
    records = [r for r in caplog.records if r.name == "trainer.requests"]
    assert len(records) == 1
    line = records[0]
    assert (line.request_id, line.user_id, line.route, line.status) == (
        response.headers["X-Request-ID"],
        user.id,
        "/account/password",
        200,
    )
    assert line.latency_ms >= 0


def test_the_json_format_carries_the_request_fields(client, caplog):
    with caplog.at_level(logging.INFO, logger="trainer.requests"):
        client.get("/healthz", headers={"X-Request-ID": "proxy-abc-123"})
    entry = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert (entry["request_id"], entry["route"], entry["status"]) == (
        "proxy-abc-123",
        "/healthz",
        200,
    )


def test_an_error_page_shows_the_request_id(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert f"Reference: {response.headers['X-Request-ID']}" in response.get_data(as_text=True)


def test_metrics_are_hidden_without_the_token(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 404


def test_metrics_count_requests_and_certificate_issues(client, app, monkeypatch, certificate):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret")
    client.get("/healthz")
    text = client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).get_data(as_text=True)
    assert 'trainer_request_seconds_count{method="GET",route="/healthz",status="200"}' in text
    assert "trainer_certificates_issued_total" in text
    assert 'trainer_job_queue_depth{queue="certificate_pdfs"}' in text


def test_the_log_line_names_a_user_expired_by_the_commit_without_querying(app, db, make_user):
    """After a commit the user is expired: reading `user.id` would SELECT, and a busy SQLite
    would then fail a request whose write is already committed."""
    user = make_user(Role.TRAINEE)
    user_id = user.id
    db.session.commit()  # expires the user
    statements = []

    def listener(*args):
        statements.append(args[2])

    with app.test_request_context("/"):
        g._login_user = user
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            fields = request_fields(200)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert (fields["user_id"], statements) == (user_id, [])
