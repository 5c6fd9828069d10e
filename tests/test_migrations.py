"""The migration chain builds the schema the models describe, and unbuilds it."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests.conftest import fresh_database, throwaway_app
from trainer.extensions import db


@pytest.fixture
def empty_database(tmp_path):
    with fresh_database(tmp_path, "trainer_migrations") as url:
        yield url


@pytest.fixture
def migration_app(empty_database):
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x"}
    with throwaway_app(config) as app, app.app_context():
        yield app


def test_upgrade_to_head_leaves_no_difference_from_the_models(migration_app):
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_base_removes_every_table(migration_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
