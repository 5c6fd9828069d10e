"""`trainer db copy` (SQLite → PostgreSQL, counts and digests) and the downgrade guard."""

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, select, text

from tests.conftest import fresh_database
from trainer.certificates.models import Certificate
from trainer.extensions import db as _db

PG = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
def target_url(tmp_path, monkeypatch):
    """An empty PostgreSQL database (the copy's target)."""
    monkeypatch.setenv("TEST_DATABASE_URL", os.environ.get("TEST_DATABASE_URL") or PG)
    with fresh_database(tmp_path, "trainer_copy") as url:
        yield url.replace("postgresql+psycopg://", "postgresql://", 1)


def test_copy_moves_every_table_with_equal_counts_and_digests(runner, app, certificate, target_url):
    result = runner.invoke(args=["db", "copy", "--to", target_url])
    assert result.exit_code == 0, result.output
    assert "counts and digests match" in result.output
    target = create_engine(target_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with target.connect() as conn:
        copied = conn.execute(select(Certificate.serial, Certificate.pdf_sha256)).all()
        # the copied ids are behind the sequences: the next insert does not collide
        next_id = conn.scalar(text("SELECT nextval(pg_get_serial_sequence('certificate', 'id'))"))
    target.dispose()
    assert copied == [(certificate.serial, certificate.pdf_sha256)]
    assert next_id > certificate.id


def test_copy_refuses_a_target_that_has_data(runner, certificate, target_url):
    assert runner.invoke(args=["db", "copy", "--to", target_url]).exit_code == 0
    again = runner.invoke(args=["db", "copy", "--to", target_url])
    assert again.exit_code == 1
    assert "not empty" in again.output


@pytest.fixture
def migrated(make_app, tmp_path):
    with fresh_database(tmp_path, "trainer_guard") as url:
        site = make_app(SQLALCHEMY_DATABASE_URI=url)
        with site.app_context():
            upgrade()
            yield site
            _db.session.remove()
            _db.engine.dispose()


def test_downgrading_below_the_first_migration_needs_the_explicit_flag(migrated):
    runner = migrated.test_cli_runner()
    refused = runner.invoke(args=["db", "downgrade", "base"])
    assert refused.exit_code == 1
    assert "--yes-drop-everything" in refused.output
    assert "certificate" in inspect(_db.engine).get_table_names()

    allowed = runner.invoke(args=["db", "downgrade", "base", "--yes-drop-everything"])
    assert allowed.exit_code == 0, allowed.output
    assert set(inspect(_db.engine).get_table_names()) <= {"alembic_version"}


def test_a_one_step_downgrade_from_a_later_migration_needs_no_flag(migrated):
    result = migrated.test_cli_runner().invoke(args=["db", "downgrade"])  # default: one step
    assert result.exit_code == 0, result.output
    assert "certificate" in inspect(_db.engine).get_table_names()
