"""Accounts: creating users and halls, roles, passwords and the all-or-nothing CSV import."""

import csv
import io
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.accounts.models import Hall, Region, User, UserRole
from trainer.accounts.passwords import hash_password, needs_rehash, verify_password
from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.permissions import Role
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


def parse_roles(text: str) -> set[Role]:
    """'trainee|mentor' or 'trainee, mentor' → {Role.TRAINEE, Role.MENTOR}; raises on unknown."""
    names = [part.strip().lower() for part in text.replace(",", "|").replace(";", "|").split("|")]
    roles = set()
    for name in filter(None, names):
        try:
            roles.add(Role(name))
        except ValueError:
            raise AccountError(_l("unknown role %(name)s"), name=repr(name)) from None
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


def import_users_csv(actor: User, text: str, file: str = "users.csv") -> list[User]:
    """Create every user in the CSV or none of them.

    Columns: employee_no, name, roles (trainee|mentor|trainer|admin), hall_code, email,
    phone, password. Every problem is collected with its line so one pass fixes the file.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    errors = [
        Problem(file, 1, column, "missing column")
        for column in REQUIRED_CSV_COLUMNS
        if column not in header
    ]
    errors += [
        Problem(file, 1, column, "unknown column") for column in header if column not in CSV_COLUMNS
    ]
    if errors:
        raise CsvImportError(errors)
    halls = {hall.code: hall for hall in db.session.scalars(select(Hall))}
    existing = set(db.session.scalars(select(User.employee_no)))
    seen: set[str] = set()
    rows = []
    for row in reader:
        line = reader.line_num
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        employee_no, name = row.get("employee_no", ""), row.get("name", "")
        if not employee_no:
            errors.append(Problem(file, line, "employee_no", "is empty"))
        elif employee_no in existing or employee_no in seen:
            errors.append(Problem(file, line, "employee_no", f"{employee_no} already exists"))
        seen.add(employee_no)
        if not name:
            errors.append(Problem(file, line, "name", "is empty"))
        try:
            roles = parse_roles(row.get("roles", ""))
        except AccountError as exc:
            errors.append(Problem(file, line, "roles", str(exc)))
            roles = set()
        hall_code = row.get("hall_code", "")
        if hall_code and hall_code not in halls:
            errors.append(Problem(file, line, "hall_code", f"unknown hall {hall_code}"))
        password = row.get("password") or secrets.token_urlsafe(12)
        if len(password) < MIN_PASSWORD_LENGTH:
            errors.append(Problem(file, line, "password", "shorter than 8 characters"))
        rows.append((employee_no, name, roles, halls.get(hall_code), row, password))
    if not rows and not errors:
        errors.append(Problem(file, 2, "employee_no", "the file has no users"))
    if errors:
        raise CsvImportError(errors)
    return [
        create_user(
            actor,
            employee_no=employee_no,
            name=name,
            roles=roles,
            password=password,
            hall=hall,
            email=row.get("email"),
            phone=row.get("phone"),
        )
        for employee_no, name, roles, hall, row, password in rows
    ]
