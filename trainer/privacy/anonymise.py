"""Anonymising a leaver: their identity and their prose become a pseudonym (已匿名-<hex>).

Three passes, all in the caller's transaction:
1. prose they wrote (drill replies, practice logs, essays, comments, coaching text) is
   replaced as a whole (`WRITTEN`, and the replies/logs/essays under their own rows);
2. their name, employee number, e-mail and phone are replaced wherever else they occur, in
   every text and JSON column of every table except training content (`CONTENT_TABLES`) —
   audit details, notifications about them, certificates (holder, trainer), batch errors;
3. the account: pseudonym for name and number, no contact details, deactivated, signed out.
What stays, and why, is in the README (Personal data).
"""

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import JSON, Enum, String, Table, Text, cast, delete, or_, select, update

from trainer import clock
from trainer.accounts.models import User
from trainer.auth.models import LoginThrottle, UserSession
from trainer.auth.services import throttle_key
from trainer.certificates.models import Certificate
from trainer.extensions import db

PSEUDONYM_PREFIX = "已匿名-"

# Training content and library state: no personal data; a name found there is a coincidence
# (a customer in a scenario) and is left alone.
CONTENT_TABLES = frozenset(
    {
        "content_module", "content_revision", "forbidden_phrase", "hall", "internship_plan",
        "internship_task", "library_item", "module_page", "practical_checklist", "procedure",
        "procedure_step", "programme", "programme_module", "question", "question_asset",
        "question_bank", "question_tag", "question_version", "quiz", "quiz_cohort", "quiz_rule",
        "region", "scenario", "scenario_version", "certificate_serial",
    }
)  # fmt: skip

# Prose the person wrote in a role, by the column naming the author.
WRITTEN = (
    ("internship_log_comment", "author_id", ("body",)),
    ("internship_sign_off", "mentor_id", ("comment",)),
    ("practical_assessment", "observer_id", ("comment",)),
    ("coaching_record", "trainee_id", ("trainee_comment",)),
    ("coaching_record", "coach_id", ("discussion", "agreed_actions", "outcome")),
    ("drill_element_override", "trainer_id", ("comment",)),
    ("response", "graded_by_id", ("grader_comment",)),
    ("drill_session", "user_id", ("draft",)),
)
FREE_TEXT_TYPES = ("essay", "roleplay")  # question types whose answer is the trainee's prose


@dataclass(frozen=True)
class Identity:
    name: str
    employee_no: str
    email: str | None
    phone: str | None

    @classmethod
    def of(cls, user: User) -> "Identity":
        return cls(user.name, user.employee_no, user.email or None, user.phone or None)

    def needles(self) -> list[str]:
        """What a row must contain (case-insensitively) to be worth a look."""
        found = [self.name, self.employee_no, self.email, self.phone]
        found.append(json.dumps(self.name)[1:-1])  # as JSON columns store it (\\uXXXX)
        return sorted({n for n in found if n and len(n) >= 2})


def new_pseudonym() -> str:
    return PSEUDONYM_PREFIX + secrets.token_hex(4)


def replacer(identity: Identity, pseudonym: str, other_names: list[str]) -> Callable[[str], str]:
    """A function replacing the identity in a text, leaving others' longer names whole."""
    bounded = [
        re.compile(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", re.IGNORECASE)
        for value in (identity.employee_no, identity.email, identity.phone)
        if value
    ]
    longer = sorted((n for n in other_names if identity.name in n), key=len, reverse=True)
    # Chinese names have no word boundaries; a Latin-script end of a name must end a word.
    name = re.compile(
        ("(?<![0-9A-Za-z])" if identity.name[:1].isascii() else "")
        + re.escape(identity.name)
        + ("(?![0-9A-Za-z])" if identity.name[-1:].isascii() else "")
    )

    def replace(text: str) -> str:
        for pattern in bounded:
            text = pattern.sub(pseudonym, text)
        if len(identity.name) < 2 or identity.name not in text:
            return text
        kept = {}
        for index, other in enumerate(longer):
            if other in text:
                kept[f"\x00{index}\x00"] = other
                text = text.replace(other, f"\x00{index}\x00")
        text = name.sub(pseudonym, text)
        for mark, other in kept.items():
            text = text.replace(mark, other)
        return text

    return replace


def walk(value, replace: Callable[[str], str]):
    """Apply `replace` to every string inside a JSON value."""
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [walk(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: walk(v, replace) for k, v in value.items()}
    return value


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def replace_written_text(user_id: int, pseudonym: str) -> int:
    """Pass 1: prose the person wrote becomes the pseudonym. Returns rows changed."""
    changed = 0
    for name, author, columns in WRITTEN:
        table = _table(name)
        for column in columns:
            result = db.session.execute(
                update(table)
                .where(table.c[author] == user_id, table.c[column].is_not(None))
                .where(table.c[column] != "")
                .values({column: pseudonym})
            )
            changed += result.rowcount
    enrolments = select(_table("enrolment").c.id).where(_table("enrolment").c.user_id == user_id)
    log = _table("internship_log_entry")
    changed += db.session.execute(
        update(log)
        .where(log.c.enrolment_id.in_(enrolments))
        .values(what_happened=pseudonym, reflection=pseudonym)
    ).rowcount
    return changed + _replace_replies(user_id, pseudonym) + _replace_essays(user_id, pseudonym)


def _replace_replies(user_id: int, pseudonym: str) -> int:
    """Typed drill replies, and the machine's findings quoting them."""
    step, session = _table("drill_step"), _table("drill_session")
    rows = db.session.execute(
        select(step.c.id, step.c.reply_text, step.c.findings).where(
            step.c.session_id.in_(select(session.c.id).where(session.c.user_id == user_id)),
            step.c.reply_text.is_not(None),
        )
    ).all()
    for row in rows:
        reply = row.reply_text

        def quoted(text: str, reply: str = reply) -> str:
            return pseudonym if text and text in reply else text

        db.session.execute(
            update(step)
            .where(step.c.id == row.id)
            .values(reply_text=pseudonym, findings=walk(row.findings, quoted))
        )
    return len(rows)


def _replace_essays(user_id: int, pseudonym: str) -> int:
    response, attempt, version = _table("response"), _table("attempt"), _table("question_version")
    ids = db.session.scalars(
        select(response.c.id)
        .join(version, version.c.id == response.c.question_version_id)
        .where(
            response.c.attempt_id.in_(select(attempt.c.id).where(attempt.c.user_id == user_id)),
            version.c.type.in_(FREE_TEXT_TYPES),
            response.c.answer.is_not(None),
        )
    ).all()
    for chunk_start in range(0, len(ids), 500):
        db.session.execute(
            update(response)
            .where(response.c.id.in_(ids[chunk_start : chunk_start + 500]))
            .values(answer={"value": pseudonym})
        )
    return len(ids)


def replace_identity(identity: Identity, pseudonym: str, user_id: int) -> int:
    """Pass 2: the identity wherever it occurs outside training content. Returns rows changed."""
    others = db.session.scalars(select(User.name).where(User.id != user_id)).all()
    replace = replacer(identity, pseudonym, list(others))
    changed = 0
    for table in db.metadata.sorted_tables:
        if table.name in CONTENT_TABLES:
            continue
        for column in table.columns:
            kind = column.type
            if column.primary_key or isinstance(kind, Enum):
                continue
            if isinstance(kind, String | Text | JSON):
                changed += _replace_in_column(table, column, identity, replace)
    return changed


def _replace_in_column(table: Table, column, identity: Identity, replace) -> int:
    is_json = isinstance(column.type, JSON)
    as_text = cast(column, Text) if is_json else column
    matches = or_(*(as_text.icontains(n, autoescape=True) for n in identity.needles()))
    keys = list(table.primary_key.columns)
    rows = db.session.execute(select(*keys, column).where(matches)).all()
    changed = 0
    for row in rows:
        value = row[-1]
        new = walk(value, replace) if is_json else replace(value)
        if new != value:
            condition = [key == row[i] for i, key in enumerate(keys)]
            db.session.execute(update(table).where(*condition).values({column.name: new}))
            changed += 1
    return changed


def anonymise_account(user: User, pseudonym: str) -> list[str]:
    """Pass 3: the account itself. Returns the PDF keys to remove after the commit."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.key == throttle_key(user.employee_no))
    )
    user.name = user.employee_no = pseudonym
    user.email = user.phone = None
    user.active = False
    user.session_token = secrets.token_hex(32)
    user.password_hash = "!anonymised"  # matches no password
    user.anonymised_at = clock.now()
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.pdf_path.is_not(None))
    ).all()
    keys = [c.pdf_path for c in certificates]
    for certificate in certificates:  # re-rendered with the pseudonym by certificates.issue_due
        certificate.pdf_path = certificate.pdf_sha256 = certificate.pdf_size = None
    return keys
