"""Instances that sign with different secret keys are refused at start; a rotation is deliberate."""

import pytest
from sqlalchemy import select

from tests.conftest import fresh_database
from trainer.config import ConfigurationError
from trainer.extensions import db as _db
from trainer.operations.models import SiteSetting
from trainer.operations.secret_key import SETTING, fingerprint


def recorded(db) -> str | None:
    db.session.expire_all()
    return db.session.scalar(select(SiteSetting.value).where(SiteSetting.name == SETTING))


def test_the_first_instance_records_its_keys_fingerprint_not_the_key(db, make_app):
    make_app(SECRET_KEY="key-of-the-site", SECRET_KEY_CHECK=True)
    value = recorded(db)
    assert value == fingerprint("key-of-the-site") and "key-of-the-site" not in value


def test_a_second_instance_with_the_same_key_starts(db, make_app):
    make_app(SECRET_KEY="key-of-the-site", SECRET_KEY_CHECK=True)
    make_app(SECRET_KEY="key-of-the-site", SECRET_KEY_CHECK=True)
    assert recorded(db) == fingerprint("key-of-the-site")


def test_an_instance_with_another_key_refuses_to_start_and_says_why(db, make_app):
    make_app(SECRET_KEY="key-of-the-site", SECRET_KEY_CHECK=True)
    with pytest.raises(ConfigurationError, match="SECRET_KEY differs.*TRAINER_ROTATE_SECRET_KEY"):
        make_app(SECRET_KEY="a-generated-key-of-another-machine", SECRET_KEY_CHECK=True)
    assert recorded(db) == fingerprint("key-of-the-site")


def test_a_deliberate_rotation_records_the_new_key_and_then_refuses_the_old(
    db, make_app, monkeypatch
):
    make_app(SECRET_KEY="old-key", SECRET_KEY_CHECK=True)
    monkeypatch.setenv("TRAINER_ROTATE_SECRET_KEY", "1")
    make_app(SECRET_KEY="new-key", SECRET_KEY_CHECK=True)
    monkeypatch.delenv("TRAINER_ROTATE_SECRET_KEY")
    assert recorded(db) == fingerprint("new-key")
    make_app(SECRET_KEY="new-key", SECRET_KEY_CHECK=True)
    with pytest.raises(ConfigurationError):
        make_app(SECRET_KEY="old-key", SECRET_KEY_CHECK=True)


def test_a_database_not_yet_migrated_does_not_stop_the_start(make_app, tmp_path):
    with fresh_database(tmp_path, "trainer_unmigrated") as url:
        site = make_app(SQLALCHEMY_DATABASE_URI=url, SECRET_KEY_CHECK=True)
        with site.app_context():
            _db.engine.dispose()
    assert site.extensions["storage"].name == "database"


def test_production_still_refuses_a_generated_key(monkeypatch, make_app):
    monkeypatch.setenv("TRAINER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TRAINER_PUBLIC_URL", "https://training.example.cn")
    with pytest.raises(ConfigurationError, match="without SECRET_KEY"):
        make_app()
