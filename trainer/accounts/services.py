"""Accounts: creating users and halls, roles, passwords and the all-or-nothing CSV import."""

import csv
import io
import secrets

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.accounts.models import Hall, Region, User, UserRole
from trainer.accounts.passwords import hash_password, needs_rehash, verify_password
from trainer.accounts.user_files import Rows, UnreadableFile, read_users_file
from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.permissions import ROLE_LABELS, Role
from trainer.source_files import Problem, SourceFileError

MIN_PASSWORD_LENGTH = 8
CSV_COLUMNS = ("employee_no", "name", "roles", "hall_code", "email", "phone", "password")
REQUIRED_CSV_COLUMNS = ("employee_no", "name", "roles")


class AccountError(DomainError, ValueError):
    """A rule about accounts was broken; the message is shown to the user."""


class CsvImportError(SourceFileError, AccountError):
    """A users CSV was refused; `problems` (also `errors`) lists every problem by line."""

    @property
    def errors(self) -> list[Problem]:
        return self.problems


def check_password(user: User, password: str) -> bool:
    return verify_password(user.password_hash, password)


def role_names() -> dict[str, Role]:
    """What a file may call a role: its code, or its label in any language of the UI
    (学员|带教师傅 as well as trainee|mentor)."""
    names = {role.value: role for role in Role}
    for locale in current_app.config.get("LANGUAGES", ()):
        with force_locale(locale):
            names |= {str(label).lower(): role for role, label in ROLE_LABELS.items()}
    return names


def parse_roles(text: str) -> set[Role]:
    """'trainee|mentor', 'trainee, mentor' or '学员、带教师傅' → {Role.TRAINEE, Role.MENTOR};
    raises on unknown."""
    for separator in (",", ";", "、", "，", "；"):
        text = text.replace(separator, "|")
    names = [part.strip().lower() for part in text.split("|")]
    known = role_names()
    roles = set()
    for name in filter(None, names):
        if name not in known:
            raise AccountError(_l("unknown role %(name)s"), name=repr(name))
        roles.add(known[name])
    if not roles:
        raise AccountError(_l("at least one role is required"))
    return roles


def get_user_by_employee_no(employee_no: str) -> User | None:
    return db.session.scalar(select(User).where(User.employee_no == employee_no.strip()))


def create_user(
    actor: User | None,
    *,
    employee_no: str,
    name: str,
    roles: set[Role],
    password: str,
    hall: Hall | None = None,
    email: str | None = None,
    phone: str | None = None,
    must_change_password: bool = False,
) -> User:
    employee_no = employee_no.strip()
    if get_user_by_employee_no(employee_no):
        raise AccountError(_l("employee number %(number)s already exists"), number=employee_no)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _l("password must have at least %(count)s characters"), count=MIN_PASSWORD_LENGTH
        )
    user = User(
        employee_no=employee_no,
        name=name.strip(),
        email=email or None,
        phone=phone or None,
        hall=hall,
        password_hash=hash_password(password),
        session_token=secrets.token_hex(16),
        role_rows=[UserRole(role=role) for role in sorted(roles)],
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", user, after=user_snapshot(user))
    return user


def user_snapshot(user: User) -> dict:
    return {
        "employee_no": user.employee_no,
        "name": user.name,
        "roles": sorted(user.roles),
        "hall": user.hall.code if user.hall else None,
        "active": user.active,
    }


def update_user(
    actor: User,
    user: User,
    *,
    name: str,
    roles: set[Role],
    hall: Hall | None,
    email: str | None,
    phone: str | None,
    active: bool,
) -> User:
    if user.id == actor.id and Role.ADMIN not in roles:
        raise AccountError(_l("you cannot remove your own administrator role"))
    before = user_snapshot(user)
    user.name, user.hall, user.email, user.phone = name.strip(), hall, email or None, phone or None
    user.active = active
    current = {row.role: row for row in user.role_rows}
    user.role_rows = [current.get(role) or UserRole(role=role) for role in sorted(roles)]
    db.session.flush()
    record(actor, "user.update", user, before=before, after=user_snapshot(user))
    return user


def change_password(actor: User, user: User, new_password: str) -> None:
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _l("password must have at least %(count)s characters"), count=MIN_PASSWORD_LENGTH
        )
    user.password_hash = hash_password(new_password)
    user.session_token = secrets.token_hex(16)
    # the user's own choice ends a forced change; a password an administrator set starts one
    user.must_change_password = actor is not None and actor.id != user.id
    record(actor, "user.password_change", user)


def authenticate(employee_no: str, password: str) -> User | None:
    """The active user with this number and password, or None. An old or weaker hash is
    replaced on success (flushed; the caller commits)."""
    user = get_user_by_employee_no(employee_no)
    if user is None:
        # Spend the same time as a real check so timing does not reveal which numbers exist.
        verify_password(_dummy_hash(), password)
        return None
    if not user.active or not check_password(user, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
    return user


_DUMMY_HASH: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "argon2id")
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH[method]


def get_or_create_region(name: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.name == name))
    if region is None:
        region = Region(name=name)
        db.session.add(region)
        db.session.flush()
    return region


def create_hall(
    actor: User | None,
    *,
    code: str,
    name: str,
    kind: str = "hall",
    region: Region | None = None,
    address: str | None = None,
) -> Hall:
    code = code.strip()
    if db.session.scalar(select(Hall).where(Hall.code == code)):
        raise AccountError(_l("hall code %(code)s already exists"), code=code)
    hall = Hall(code=code, name=name.strip(), kind=kind, region=region, address=address or None)
    db.session.add(hall)
    db.session.flush()
    record(actor, "hall.create", hall, after={"code": code, "name": hall.name, "kind": kind})
    return hall


def import_users_csv(actor: User | None, text: str, file: str = "users.csv") -> list[User]:
    """Create every user of a CSV text or none of them (see `import_users`)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in next(reader, [])]
    rows = [
        (reader.line_num, dict(zip(header, (v.strip() for v in values), strict=False)))
        for values in reader
        if any(v.strip() for v in values)
    ]
    return import_users(actor, header, rows, file)


def import_users_file(actor: User | None, data: bytes, file: str) -> list[User]:
    """Create every user of an uploaded CSV (UTF-8 or GB18030) or XLSX file, or none."""
    try:
        header, rows = read_users_file(data, file)
    except UnreadableFile as exc:
        raise CsvImportError([exc.problem]) from None
    return import_users(actor, header, rows, file)


def import_users(
    actor: User | None, header: list[str], rows: Rows, file: str, *, must_change: bool = True
) -> list[User]:
    """Create every user or none of them.

    Columns: employee_no, name, roles (trainee|mentor|trainer|admin), hall_code, email,
    phone, password. Every problem is collected with its line so one pass fixes the file.
    A row without a password gets a temporary one (`User.temporary_password`, shown once);
    every imported account must choose its own password at first login.
    """
    errors = [
        Problem(file, 1, column, _l("missing column"))
        for column in REQUIRED_CSV_COLUMNS
        if column not in header
    ]
    errors += [
        Problem(file, 1, column, _l("unknown column"))
        for column in header
        if column and column not in CSV_COLUMNS
    ]
    if errors:
        raise CsvImportError(errors)
    halls = {hall.code: hall for hall in db.session.scalars(select(Hall))}
    existing = set(db.session.scalars(select(User.employee_no)))
    seen: set[str] = set()
    accepted = []
    for line, row in rows:
        employee_no, name = row.get("employee_no", ""), row.get("name", "")
        if not employee_no:
            errors.append(Problem(file, line, "employee_no", _l("is empty")))
        elif employee_no in existing or employee_no in seen:
            message = _l("employee number %(number)s already exists", number=employee_no)
            errors.append(Problem(file, line, "employee_no", message))
        seen.add(employee_no)
        if not name:
            errors.append(Problem(file, line, "name", _l("is empty")))
        try:
            roles = parse_roles(row.get("roles", ""))
        except AccountError as exc:
            errors.append(Problem(file, line, "roles", exc.message))
            roles = set()
        hall_code = row.get("hall_code", "")
        if hall_code and hall_code not in halls:
            errors.append(
                Problem(file, line, "hall_code", _l("unknown hall %(code)s", code=hall_code))
            )
        password = row.get("password", "")
        if password and len(password) < MIN_PASSWORD_LENGTH:
            message = _l("shorter than %(count)s characters", count=MIN_PASSWORD_LENGTH)
            errors.append(Problem(file, line, "password", message))
        accepted.append((employee_no, name, roles, halls.get(hall_code), row, password))
    if not accepted and not errors:
        errors.append(Problem(file, 2, "employee_no", _l("the file has no users")))
    if errors:
        raise CsvImportError(errors)
    created = []
    for employee_no, name, roles, hall, row, password in accepted:
        temporary = None if password else temporary_password()
        user = create_user(
            actor,
            employee_no=employee_no,
            name=name,
            roles=roles,
            password=password or temporary,
            hall=hall,
            email=row.get("email"),
            phone=row.get("phone"),
            must_change_password=must_change,
        )
        user.temporary_password = temporary
        created.append(user)
    return created


def temporary_password() -> str:
    """Easy to read out and type once: no 0/O, 1/l/I."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def reset_password(actor: User, user: User) -> str:
    """A temporary password for `user` (returned to be shown once); every session of the
    user ends and the next sign-in must choose a new password."""
    temporary = temporary_password()
    user.password_hash = hash_password(temporary)
    user.session_token = secrets.token_hex(16)
    user.must_change_password = True
    db.session.flush()
    record(actor, "user.password_reset", user)
    return temporary


def deactivate_users(actor: User, user_ids: list[int]) -> list[User]:
    """Deactivate the chosen users (never the acting administrator); each is audited."""
    users = db.session.scalars(
        select(User).where(User.id.in_(user_ids), User.active.is_(True), User.id != actor.id)
    ).all()
    for user in users:
        before = user_snapshot(user)
        user.active = False
        record(actor, "user.deactivate", user, before=before, after=user_snapshot(user))
    db.session.flush()
    return list(users)
