"""Whatever the CSV holds, the import either creates every row or nothing, naming lines."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.accounts.services import CsvImportError, import_users_csv
from trainer.extensions import db

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
rows = st.lists(st.lists(cells, min_size=0, max_size=8), max_size=6)
headers = st.sampled_from(
    ["employee_no,name,roles", "employee_no,name,roles,hall_code,password", "name,roles", ""]
)


def to_csv(header: str, body: list[list[str]]) -> str:
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    return header + "\n" + "\n".join(",".join(quote(c) for c in row) for row in body)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(header=headers, body=rows)
def test_import_is_all_or_nothing_and_errors_name_a_line(app, header, body):
    before = db.session.scalar(select(func.count()).select_from(User))
    text = to_csv(header, body)
    try:
        created = import_users_csv(None, text)
    except CsvImportError as exc:
        db.session.rollback()
        assert exc.errors and all(e.line >= 1 and e.field for e in exc.errors)
        assert db.session.scalar(select(func.count()).select_from(User)) == before
    else:
        assert len(created) == len(body)
        db.session.rollback()
