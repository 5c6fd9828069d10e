"""Which tables hold data about a person, found from the schema rather than listed by hand.

Every foreign key to `user.id` is discovered from the SQLAlchemy metadata. A column named
`user_id` or `trainee_id` makes the row the person's own, and then every row that points at
it is theirs too (an enrolment's sign-offs, an attempt's responses, a drill's steps), found
through the foreign keys as well. Any other user column (`mentor_id`, `graded_by_id`, …) is
a role: the row is exported because the person acted in it, but what hangs under it is
someone else's. A new table is therefore exported without code changes; the tests fail until
it is given a section here or excluded with a reason.
"""

from dataclasses import dataclass

from sqlalchemy import MetaData, Table

OWNER_COLUMNS = frozenset({"user_id", "trainee_id"})

# What each table is, in the export's table of contents.
SECTIONS = {
    "user_role": "account",
    "user_session": "account",
    "notification_preference": "account",
    "enrolment": "training",
    "stage_change": "training",
    "cohort": "training",
    "page_study": "study progress",
    "page_view": "study progress",
    "attempt": "quizzes",
    "response": "quizzes",
    "drill_session": "role-play drills",
    "drill_step": "role-play drills",
    "drill_element_override": "role-play drills",
    "element_example": "role-play drills",
    "placement": "internship",
    "internship_absence": "internship",
    "internship_log_entry": "internship",
    "internship_log_comment": "internship",
    "internship_sign_off": "internship",
    "practical_assessment": "practical assessment",
    "coaching_record": "coaching",
    "notification": "notifications",
    "certificate": "certificates",
    "certificate_batch": "certificates",
    "award": "recognition",
    "audit_entry": "audit log",
    "export_job": "exports they asked for",
}

# User columns deliberately left out of the export, with the reason (README, Personal data).
EXCLUDED = {
    ("question_version", "created_by_id"): "training content the person wrote for the "
    "employer, not data about them; authorship stays as an id",
    ("scenario_version", "created_by_id"): "training content (role-play scenarios) the person "
    "edited; authorship stays as an id",
    ("content_revision", "actor_id"): "versions of the service standard the person edited; "
    "training content, authorship stays as an id",
}

# Columns never written to an export: secrets, not information about the person.
SECRET_COLUMNS = frozenset({"password_hash", "session_token", "token_hash"})


@dataclass(frozen=True)
class Link:
    """A way rows of `table` belong to the person: `column` holds their user id (`parent` is
    None), or points at `parent_column` of one of their own rows in table `parent`."""

    table: Table
    column: str
    parent: str | None = None
    parent_column: str = "id"

    @property
    def owns(self) -> bool:
        """Rows found this way are the person's own, and so is what hangs under them."""
        return self.parent is not None or self.column in OWNER_COLUMNS

    @property
    def label(self) -> str:
        return self.column if self.parent is None else f"{self.column}->{self.parent}"


def user_links(metadata: MetaData) -> list[Link]:
    """Every column that holds a user id, except the excluded ones."""
    return [
        Link(table, fk.parent.name)
        for table in metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "user" and (table.name, fk.parent.name) not in EXCLUDED
    ]


def child_links(metadata: MetaData, parent: str) -> list[Link]:
    """Columns pointing at rows of `parent`: rows that hang under the person's own."""
    return [
        Link(table, fk.parent.name, parent, fk.column.name)
        for table in metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == parent and table.name != "user"
    ]


def personal_tables(metadata: MetaData) -> set[str]:
    """Every table an export draws rows from."""
    links = user_links(metadata)
    found = {link.table.name for link in links}
    queue = [link.table.name for link in links if link.owns]
    expanded: set[str] = set()
    while queue:
        name = queue.pop()
        if name in expanded:
            continue
        expanded.add(name)
        for link in child_links(metadata, name):
            found.add(link.table.name)
            queue.append(link.table.name)
    return found


def unclassified(metadata: MetaData) -> set[str]:
    """Tables holding personal data with no export section: what the tests guard against."""
    return personal_tables(metadata) - set(SECTIONS)
