"""Privacy fixtures: the demo site's people, and an independent scan of the whole database."""

import json
import re
from collections import Counter

import pytest
from sqlalchemy import JSON, String, Text, select

from trainer.accounts.models import User
from trainer.extensions import db


@pytest.fixture
def person(demo_data):
    """The demo's certified trainee: enrolment, exams, drills, internship, certificate."""
    return lambda employee_no="E0020": db.session.scalar(
        select(User).where(User.employee_no == employee_no)
    )


def occurrences(pattern: str | re.Pattern) -> Counter:
    """Where `pattern` occurs: every text and JSON column of every table, read back and
    decoded (JSON columns store Chinese as \\u escapes), counted per table.column."""
    found: Counter = Counter()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = (
                    json.dumps(value, ensure_ascii=False, default=str)
                    if isinstance(value, dict | list)
                    else str(value)
                )
                hit = pattern.search(text) if isinstance(pattern, re.Pattern) else pattern in text
                if hit:
                    found[f"{table.name}.{column.name}"] += 1
    return found
