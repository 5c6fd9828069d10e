"""The migration moves question images' bytes into stored_file, and the downgrade puts them back."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.conftest import fresh_database, throwaway_app
from trainer.extensions import db

BEFORE, AFTER = "b7e5a0c3d912", "c4f1a9d2b6e0"
IMAGE = b"\x89PNG\r\n\x1a\n a picture"


@pytest.fixture
def old_site(tmp_path):
    """A database at the revision before stored files, with one question image in it."""
    with fresh_database(tmp_path, "trainer_storage_migration") as url:
        config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"}
        with throwaway_app(config) as app, app.app_context():
            upgrade(revision=BEFORE)
            with db.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO question_asset (sha256, mime_type, size, content, created_at)"
                        " VALUES ('abc', 'image/png', :size, :content, CURRENT_TIMESTAMP)"
                    ),
                    {"size": len(IMAGE), "content": IMAGE},
                )
            yield app


def test_upgrade_moves_the_bytes_and_downgrade_puts_them_back(old_site):
    upgrade(revision=AFTER)
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT key, content, size, sha256 FROM stored_file")).one()
    assert (row.key, bytes(row.content), row.size) == ("question-assets/abc", IMAGE, len(IMAGE))

    downgrade(revision=BEFORE)
    with db.engine.connect() as conn:
        content = conn.execute(text("SELECT content FROM question_asset")).scalar_one()
    assert bytes(content) == IMAGE
