"""No GET changes data: every GET route, as every kind of user, over real seeded data.

Pages render what is; whatever is due (an attempt past its deadline, an internship whose days
are complete, a certificate to issue) is done by POSTs, CLI commands and scheduled jobs. The
routes come from the URL map (as in the authorization tests), so a new GET route is covered
the day it is added. Each request is watched for any INSERT, UPDATE or DELETE that touches a
row; each user's round of requests is checked with a row count and newest `updated_at` of
every table before and after, and the whole run with a digest of every row.
"""

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import String, cast, event, func, literal, select, union_all

from tests.test_authorization_data import KINDS, client_for, url_with_ids
from tests.test_authorization_data import world as world  # noqa: F401,PLC0414  (the fixture)
from tests.test_authorization_matrix import guarded_rules
from trainer import clock
from trainer.extensions import db

TIMES = {"now": 0, "a month later": 31}  # later: deadlines and internship days have passed


def table_marks() -> dict[str, tuple]:
    """Per table: row count and newest updated_at (one query for the whole schema)."""
    parts = []
    for table in db.metadata.sorted_tables:
        stamp = table.c.updated_at if "updated_at" in table.c else None
        newest = cast(func.max(stamp), String) if stamp is not None else literal("-")
        parts.append(
            select(
                literal(table.name).label("name"), func.count().label("n"), newest.label("t")
            ).select_from(table)
        )
    return {name: (count, newest) for name, count, newest in db.session.execute(union_all(*parts))}


def table_digests() -> dict[str, str]:
    """Per table: a digest of every row, ordered by primary key."""
    digests = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@contextmanager
def row_writes() -> Iterator[list[str]]:
    """The statements that inserted, updated or deleted rows while the block ran (any
    connection of the app's engine: the test client's requests included)."""
    writes: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if WRITE.match(statement) and cursor.rowcount != 0:
            writes.append(" ".join(statement.split())[:80])

    event.listen(db.engine, "after_cursor_execute", record)
    try:
        yield writes
    finally:
        event.remove(db.engine, "after_cursor_execute", record)


def get_urls(app, world) -> list[str]:
    urls = []
    for rule in guarded_rules(app):
        if "GET" in rule.methods and rule.endpoint != "auth.logout":
            urls.append(url_with_ids(app, rule, world.ids)[0])
    return urls + [f"/?as={role}" for role in ("trainee", "mentor", "trainer", "admin")]


# A crawl of every GET route as every kind of user: CI runs it (see `slow`).
@pytest.mark.slow
def test_no_get_route_changes_any_row(app, world):
    clients = {kind: client_for(app, kind, world) for kind in KINDS}  # logging in may write
    db.session.commit()
    urls = get_urls(app, world)
    before_all = table_digests()
    changes = []
    for label, days in TIMES.items():
        with clock.travel(days=days):
            for kind, client in clients.items():
                before = table_marks()
                for url in urls:
                    with row_writes() as writes:
                        status = client.get(url).status_code
                    # /readyz answers 503 by design here (the test schema has no migration stamp)
                    if writes or (status >= 500 and url != "/readyz"):
                        changes.append((label, kind, url, status, writes))
                after = table_marks()
                changed = sorted(t for t in before if before[t] != after[t])
                if changed:
                    changes.append((label, kind, "one of the GETs", None, changed))
    assert changes == []
    assert table_digests() == before_all
