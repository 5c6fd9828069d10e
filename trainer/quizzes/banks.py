"""Bank services: import (all-or-nothing, idempotent), export, edit with versioning, regrade."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import selectinload

from trainer.audit.services import record
from trainer.extensions import db
from trainer.library.sync import Reconciler, digest
from trainer.quizzes.assets import load_assets, missing_assets, store_assets
from trainer.quizzes.bank_files import write_bank
from trainer.quizzes.models import Question, QuestionBank, QuestionTag, QuestionVersion, Usage
from trainer.quizzes.questions import BankImportError, canonical, payload_of
from trainer.source_files import Problem

VERSION_FIELDS = (
    "type",
    "title",
    "text",
    "text_format",
    "general_feedback",
    "link",
    "points",
    "payload",
)


@dataclass
class ImportSummary:
    bank: QuestionBank
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # library reload: edited in the UI, file unchanged since the last load
    conflict: int = 0

    def __str__(self) -> str:
        return _(
            "%(bank)s: %(created)d created, %(updated)d new versions, %(unchanged)d unchanged",
            bank=self.bank.name,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )


def version_fields(question: dict) -> dict:
    return {
        "type": question["type"],
        "title": question.get("title") or "",
        "text": question["text"],
        "text_format": question.get("format") or "plain",
        "general_feedback": question.get("general_feedback") or "",
        "link": question.get("link"),
        "points": float(question.get("points", 1)),
        "payload": payload_of(question),
    }


def same_content(version: QuestionVersion, fields: dict) -> bool:
    return all(getattr(version, name) == fields[name] for name in VERSION_FIELDS)


def as_native(question: Question, version: QuestionVersion | None = None) -> dict:
    version = version or question.current
    native = {
        "key": question.key,
        "type": version.type,
        "title": version.title,
        "text": version.text,
        "format": version.text_format,
        "category": question.category,
        "points": int(version.points) if float(version.points).is_integer() else version.points,
        "link": version.link,
        "general_feedback": version.general_feedback,
    }
    # Defaults stay out of exported files, so a file that never named them round-trips.
    if question.usage != Usage.BOTH:
        native["usage"] = question.usage.value
    if question.tags:
        native["tags"] = question.tags
    return {**native, **version.payload}


def question_fields(item: dict) -> dict:
    """What a question is apart from its versioned content: where it lives and may be drawn."""
    return {
        "category": item["category"],
        "usage": Usage(item.get("usage") or Usage.BOTH),
        "tags": sorted({tag.strip() for tag in item.get("tags") or []}),
    }


def get_bank(name: str) -> QuestionBank | None:
    return db.session.scalar(select(QuestionBank).where(QuestionBank.name == name))


def current_rows(bank_id: int) -> dict[str, dict]:
    """Each question of the bank with its current version's fields, as plain dicts."""
    newest = (
        select(func.max(QuestionVersion.id).label("id"))
        .join(Question)
        .where(Question.bank_id == bank_id)
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    columns = [getattr(QuestionVersion, name) for name in VERSION_FIELDS]
    rows = db.session.execute(
        select(
            Question.id,
            Question.key,
            Question.category,
            Question.usage,
            QuestionVersion.number,
            QuestionVersion.created_by_id,
            *columns,
        )
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(newest, newest.c.id == QuestionVersion.id)
    )
    current = {row.key: {**row._asdict(), "tags": []} for row in rows}
    by_id = {row["id"]: row for row in current.values()}
    tags = db.session.execute(
        select(QuestionTag.question_id, QuestionTag.tag)
        .join(Question)
        .where(Question.bank_id == bank_id)
        .order_by(QuestionTag.question_id, QuestionTag.tag)
    )
    for question_id, tag in tags:
        by_id[question_id]["tags"].append(tag)
    return current


def _placement(row: dict) -> dict:
    return {"category": row["category"], "usage": row["usage"], "tags": row["tags"]}


def meaning_digest(fields: dict, placement: dict) -> str:
    """Equal for a stored question and a file question exactly when `same_meaning` and the
    placement agree: the digest the library reload compares (trainer.library.sync)."""
    return digest(
        {"content": {k: canonical(fields[k]) for k in VERSION_FIELDS}, "placement": placement}
    )


def library_key(bank: str, key: str) -> str:
    return f"{bank}/{key}"


def same_meaning(row: dict, fields: dict) -> bool:
    """Stored content equals the file's once both are read as meaning (see `canonical`): a
    format that writes 2..4 as 3 ± 1, omits an empty feedback or trims a text changes
    nothing."""
    return all(canonical(row[k]) == canonical(fields[k]) for k in VERSION_FIELDS)


def keep_unstated(item: dict, row: dict) -> dict:
    """Fields the file's format cannot carry (`_keep`, set by its reader) keep their stored
    value instead of being blanked: a GIFT file never unlinks a question from its step."""
    item = dict(item)
    for name in item.get("_keep", ()):
        if name in ("link", "tags"):
            item[name] = row[name]
        elif name == "points":
            item[name] = row["points"]
        elif name == "usage":
            item[name] = Usage(row["usage"]).value
        elif row["type"] == item["type"] and name in row["payload"]:
            item[name] = row["payload"][name]
    return item


def import_questions(
    actor,
    name: str,
    questions: list[dict],
    *,
    title: str | None = None,
    description: str | None = None,
    reconciler: Reconciler | None = None,
) -> ImportSummary:
    """Create or update the bank's questions (validated beforehand by bank_files).

    A question whose content changed gets a new version, so attempts keep the one they saw.
    Rows are written with executemany inserts: a 10,000-question file imports in seconds.
    With a `reconciler` (a library reload), each question is reloaded three-way: one edited
    in the UI keeps its edit (trainer.library.sync).
    """
    bank = get_bank(name)
    if bank is None:
        bank = QuestionBank(name=name, title=title or name, description=description or "")
        db.session.add(bank)
    else:
        bank.title = title or bank.title
        bank.description = description if description is not None else bank.description
    db.session.flush()
    existing = current_rows(bank.id)
    summary = ImportSummary(bank)
    author_id = getattr(actor, "id", None)
    created: dict[str, dict] = {}
    new_versions, moved, retagged = [], [], {}
    for item in questions:
        row = existing.get(item["key"])
        if row is not None and item.get("_keep"):
            item = keep_unstated(item, row)
        fields = version_fields(item)
        placement = question_fields(item)
        if reconciler is not None:
            outcome = _decide(reconciler, name, item, fields, placement, row)
            if outcome.value in ("kept", "conflict"):
                setattr(summary, outcome.value, getattr(summary, outcome.value) + 1)
                continue
        if row is None:
            created[item["key"]] = {"fields": fields, "placement": placement}
            continue
        content_same = same_meaning(row, fields)
        placed_same = _placement(row) == placement
        if content_same and placed_same:
            summary.unchanged += 1
            continue
        summary.updated += 1
        if not placed_same:
            moved.append(
                {"id": row["id"], "category": placement["category"], "usage": placement["usage"]}
            )
            if row["tags"] != placement["tags"]:
                retagged[row["id"]] = placement["tags"]
        if not content_same:
            new_versions.append(
                {
                    "question_id": row["id"],
                    "number": row["number"] + 1,
                    "created_by_id": author_id,
                    **fields,
                }
            )
    if created:
        ids = db.session.execute(
            insert(Question).returning(Question.id, Question.key),
            [
                {
                    "bank_id": bank.id,
                    "key": key,
                    "category": c["placement"]["category"],
                    "usage": c["placement"]["usage"],
                }
                for key, c in created.items()
            ],
        ).all()
        new_versions += [
            {"question_id": qid, "number": 1, "created_by_id": author_id, **created[key]["fields"]}
            for qid, key in ids
        ]
        retagged.update({qid: created[key]["placement"]["tags"] for qid, key in ids})
        summary.created = len(created)
    if moved:
        db.session.execute(update(Question), moved)
    if retagged:
        set_tags(retagged)
    if new_versions:
        db.session.execute(insert(QuestionVersion), new_versions)
    record(
        actor, "bank.import", bank, after={"created": summary.created, "updated": summary.updated}
    )
    return summary


def _decide(reconciler: Reconciler, bank: str, item, fields, placement, row):
    return reconciler.decide(
        "question",
        library_key(bank, item["key"]),
        meaning_digest(fields, placement),
        meaning_digest(row, _placement(row)) if row is not None else None,
        pending={"bank": bank, "item": {k: v for k, v in item.items() if not k.startswith("_")}},
        # Loaded before digests were kept: the library loads with no author, a trainer with one.
        edited_before_tracking=lambda: row["created_by_id"] is not None,
    )


def import_bank_file(actor, name: str, bank_file, filename: str) -> ImportSummary:
    """Import a read bank file (bank_files.BankFile): its assets, then its questions.

    All-or-nothing with the caller's transaction; raises BankImportError when a question
    refers to a file (`files`) that neither the import file nor the database holds.
    """
    missing = missing_assets(
        sha
        for question in bank_file.questions
        for sha in (question.get("files") or {}).values()
        if sha not in bank_file.assets
    )
    if missing:
        raise BankImportError(
            [
                Problem.at(
                    question.get("_line", 1),
                    _l("%(name)s is not in the file nor stored here", name=file_name),
                    "files",
                )
                for question in bank_file.questions
                for file_name, sha in (question.get("files") or {}).items()
                if sha in missing
            ],
            filename,
        )
    store_assets(bank_file.assets)
    meta = bank_file.meta
    return import_questions(
        actor,
        name,
        bank_file.questions,
        title=meta.get("title"),
        description=meta.get("description"),
    )


def set_tags(tags_by_question: dict[int, list[str]]) -> None:
    """Replace the tags of many questions in two statements."""
    db.session.execute(
        delete(QuestionTag).where(QuestionTag.question_id.in_(list(tags_by_question)))
    )
    rows = [
        {"question_id": qid, "tag": tag} for qid, tags in tags_by_question.items() for tag in tags
    ]
    if rows:
        db.session.execute(insert(QuestionTag), rows)
    db.session.expire_all()


def export_questions(bank: QuestionBank) -> list[dict]:
    questions = db.session.scalars(
        select(Question)
        .where(Question.bank_id == bank.id, Question.archived.is_(False))
        .options(selectinload(Question.versions), selectinload(Question.tag_rows))
        .order_by(Question.category, Question.id)
    )
    return [as_native(q) for q in questions]


def export_bank_text(bank: QuestionBank, fmt: str) -> str:
    """The bank as a file of `fmt`, with the images its questions show (Moodle XML)."""
    questions = export_questions(bank)
    digests = [sha for q in questions for sha in (q.get("files") or {}).values()]
    meta = {"name": bank.name, "title": bank.title, "description": bank.description}
    return write_bank(meta, questions, fmt, load_assets(digests) if fmt == "moodlexml" else {})


def edit_question(actor, question: Question, item: dict) -> QuestionVersion:
    """Save an edit as a new version (old attempts keep the version they saw); audited."""
    fields = version_fields(item)
    placement = question_fields(item)
    current = question.current
    placed_same = (question.category, question.usage, question.tags) == tuple(placement.values())
    if same_content(current, fields) and placed_same:
        return current
    question.category, question.usage = placement["category"], placement["usage"]
    wanted = set(placement["tags"])
    # Keep the rows of tags that stay: a delete and insert of the same key in one flush clash.
    question.tag_rows = [row for row in question.tag_rows if row.tag in wanted] + [
        QuestionTag(tag=tag) for tag in sorted(wanted - set(question.tags))
    ]
    version = current
    if not same_content(current, fields):
        version = QuestionVersion(
            number=current.number + 1, created_by_id=getattr(actor, "id", None), **fields
        )
        question.versions.append(version)
    db.session.flush()
    record(
        actor,
        "question.edit",
        question,
        before={"version": current.number},
        after={"version": version.number},
    )
    return version
