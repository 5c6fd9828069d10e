"""Personal-data requests, audited: export one person, anonymise a leaver, purge by age.

Views and commands call these; they flush and audit, the caller commits. No audit entry
written here carries the person's name: the target is the user row, by id.
"""

from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from trainer import storage
from trainer.accounts.models import User
from trainer.audit.services import record, record_event
from trainer.certificates.documents import ensure_pdf, storage_key
from trainer.certificates.models import Certificate
from trainer.errors import DomainError
from trainer.events import after_commit
from trainer.extensions import db
from trainer.privacy import anonymise, export, retention


class PrivacyError(DomainError):
    """A personal-data request that cannot be carried out; the message says why."""


def find_person(employee_no: str) -> User:
    user = db.session.scalar(
        select(User).where(func.lower(User.employee_no) == (employee_no or "").strip().lower())
    )
    if user is None:
        raise PrivacyError(_l("No user has employee number %(number)s."), number=employee_no)
    return user


def export_person(actor, user: User) -> bytes:
    """The zip of everything about `user` (export.py); the export itself is audited."""
    data, summary = export.build_zip(user)
    record(actor, "privacy.export", user, after=summary)
    return data


def anonymise_person(actor, user: User, confirmation: str) -> str:
    """Replace `user`'s identity and prose by a pseudonym, deactivate them; returns it.

    `confirmation` must repeat the employee number (the UI asks to type it; the CLI's --yes
    passes it). Refuses an account already anonymised, and one's own account.
    """
    if user.anonymised_at is not None:
        raise PrivacyError(_l("This account is already anonymised."))
    if (confirmation or "").strip().lower() != user.employee_no.lower():
        raise PrivacyError(
            _l("Type the employee number %(number)s to confirm."), number=user.employee_no
        )
    if actor is not None and getattr(actor, "id", None) == user.id:
        raise PrivacyError(_l("You cannot anonymise your own account."))
    db.session.flush()
    identity, pseudonym = anonymise.Identity.of(user), anonymise.new_pseudonym()
    rows = anonymise.replace_written_text(user.id, pseudonym)
    rows += anonymise.replace_identity(identity, pseudonym, user.id)
    db.session.expire_all()  # the passes wrote through Core: reload what the ORM holds
    old_files = anonymise.anonymise_account(user, pseudonym)
    record(actor, "privacy.anonymise", user, after={"pseudonym": pseudonym, "rows": rows})
    certificate_ids = db.session.scalars(
        select(Certificate.id).where(Certificate.user_id == user.id)
    ).all()
    after_commit(partial(_replace_pdfs, old_files, certificate_ids))
    return pseudonym


def _replace_pdfs(old_files: list[str], certificate_ids: list[int]) -> None:
    """After the commit: the PDFs that carried the name go, new ones carry the pseudonym
    (a failure here is retried by `certificates.issue_due`)."""
    for path in old_files:
        storage.delete(storage_key(path))
    db.session.commit()  # the database store deletes in the session's transaction
    for certificate_id in certificate_ids:
        ensure_pdf(certificate_id)


def purge(actor, dry_run: bool = False) -> dict[str, int | None]:
    """Apply the retention periods; counts per kind (None: kept forever). Audited unless a
    dry run."""
    counts = retention.run_purge(dry_run)
    if not dry_run:
        months = {kind.key: kind.months() for kind in retention.KINDS}
        record_event(
            actor, "privacy.purge", "retention", after={"removed": counts, "months": months}
        )
    return counts


def purge_job() -> str:
    """The scheduled purge (`privacy.purge`)."""
    counts = purge(None)
    return ", ".join(f"{key}: {'kept' if n is None else n}" for key, n in counts.items())
