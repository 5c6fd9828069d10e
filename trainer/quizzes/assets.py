"""Question assets: files (images) that imported questions show, stored once by sha256.

A version's payload maps the names its texts use (`@@PLUGINFILE@@/flag.png`, Moodle's
placeholder, kept in the text) to digests: `files: {"flag.png": "<sha256>"}`. The
`question_asset` table records each file's type and size; the bytes are kept by
`trainer.storage` (the database, or S3) under `question-assets/<sha256>`, behind the three
functions below (`store_assets`, `load_assets`, `load_asset`).
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote

from sqlalchemy import insert, select

from trainer import storage
from trainer.extensions import db
from trainer.permissions import Role
from trainer.quizzes.models import Attempt, AttemptState, QuestionAsset, Response

PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]+)")
MAX_ASSET_BYTES = 10 * 1024 * 1024
# Served inline (shown in a question); any other file is served as a download.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


@dataclass(frozen=True)
class Asset:
    content: bytes
    mime_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff_mime_type(content: bytes) -> str:
    """The type from the bytes themselves, never from the file name an import claims."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    for signature, mime_type in SIGNATURES:
        if content.startswith(signature):
            return mime_type
    return "application/octet-stream"


def referenced_names(*texts: str) -> set[str]:
    """File names a text refers to through Moodle's @@PLUGINFILE@@ (URL-decoded)."""
    return {unquote(m.group(1)) for text in texts if text for m in PLUGINFILE.finditer(text)}


def store_assets(assets: dict[str, Asset]) -> int:
    """Insert the assets not stored yet (in the caller's transaction); returns how many."""
    if not assets:
        return 0
    known = set(
        db.session.scalars(
            select(QuestionAsset.sha256).where(QuestionAsset.sha256.in_(list(assets)))
        )
    )
    rows = [
        {"sha256": sha, "mime_type": a.mime_type, "size": len(a.content)}
        for sha, a in assets.items()
        if sha not in known
    ]
    for row in rows:
        storage.put(asset_key(row["sha256"]), assets[row["sha256"]].content)
    if rows:
        db.session.execute(insert(QuestionAsset), rows)
    return len(rows)


def asset_key(digest: str) -> str:
    return f"question-assets/{digest}"


def load_assets(digests) -> dict[str, Asset]:
    digests = list(set(digests))
    if not digests:
        return {}
    rows = db.session.execute(
        select(QuestionAsset.sha256, QuestionAsset.mime_type).where(
            QuestionAsset.sha256.in_(digests)
        )
    ).all()
    found = {}
    for sha, mime in rows:
        try:
            found[sha] = Asset(storage.get(asset_key(sha)), mime)
        except FileNotFoundError:  # recorded but lost from the store: shown as missing
            continue
    return found


def load_asset(digest: str) -> Asset | None:
    return load_assets([digest]).get(digest)


def missing_assets(digests) -> set[str]:
    """Digests a file refers to that neither it nor the database provides."""
    digests = set(digests)
    if not digests:
        return set()
    known = set(
        db.session.scalars(select(QuestionAsset.sha256).where(QuestionAsset.sha256.in_(digests)))
    )
    return digests - known


def shown_before_submission(version) -> set[str]:
    """Files the attempt page itself shows: in the text, choices and items, not feedback."""
    payload = version.payload or {}
    texts = [version.text]
    texts += [c.get("text", "") for c in payload.get("choices", [])]
    texts += [p.get("left", "") for p in payload.get("pairs", [])]
    texts += list(payload.get("items", []))
    return referenced_names(*texts)


def may_see_file(user, version, name: str) -> bool:
    """Staff see every file; a trainee one of a version an attempt of theirs showed, and a
    feedback file (which may give the answer away) only once that attempt is submitted."""
    if user.has_any_role(Role.TRAINER, Role.ADMIN):
        return True
    states = set(
        db.session.scalars(
            select(Attempt.state)
            .join(Response, Response.attempt_id == Attempt.id)
            .where(Attempt.user_id == user.id, Response.question_version_id == version.id)
        )
    )
    if name in shown_before_submission(version):
        return bool(states)
    return bool(states - {AttemptState.IN_PROGRESS})
