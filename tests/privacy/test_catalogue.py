"""Every table holding data about a person is exported or excluded with a reason."""

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

from trainer.extensions import db
from trainer.privacy.catalogue import (
    EXCLUDED,
    SECTIONS,
    personal_tables,
    unclassified,
    user_links,
)


def test_every_table_with_personal_data_has_an_export_section(app):
    assert unclassified(db.metadata) == set()


def test_every_user_column_is_exported_or_excluded_with_a_reason(app):
    exported = {(link.table.name, link.column) for link in user_links(db.metadata)}
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "user":
                key = (table.name, fk.parent.name)
                assert key in exported or len(EXCLUDED.get(key, "")) > 20, key


def test_a_new_table_with_a_user_column_is_caught(app):
    metadata = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table("shift_swap", metadata, Column("id", Integer, primary_key=True),
          Column("requester_id", Integer, ForeignKey("user.id")))  # fmt: skip
    assert unclassified(metadata) == {"shift_swap"}


def test_rows_under_a_persons_own_rows_are_found_through_the_schema(app):
    metadata = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table("drill_step_note", metadata, Column("id", Integer, primary_key=True),
          Column("step_id", Integer, ForeignKey("drill_step.id")))  # fmt: skip
    assert "drill_step_note" in personal_tables(metadata)


def test_rows_under_a_role_are_not_the_persons(app):
    """A trainer's cohort is exported; the trainees enrolled in it are not theirs."""
    tables = personal_tables(db.metadata)
    assert "cohort" in tables and "quiz_cohort" not in tables
    assert set(SECTIONS) >= tables
