"""The seeder registry: each feature adds its demo data after the people exist.

Seeders run in `order`; each receives the shared DemoContext so that, say, the quiz
seeder can give passed exam attempts to the trainees the foundation placed past the exam.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker

DEMO_PASSWORD = "demo1234"


@dataclass
class DemoContext:
    fake: Faker
    admin: object = None
    trainers: list = field(default_factory=list)
    mentors: list = field(default_factory=list)
    trainees: list = field(default_factory=list)  # (user, enrolment, target stage)
    halls: list = field(default_factory=list)
    cohort: object = None
    programme: object = None
    extra: dict = field(default_factory=dict)


Seeder = Callable[[DemoContext], None]
_seeders: dict[str, tuple[int, Seeder]] = {}


def register_seeder(name: str, seeder: Seeder, order: int = 100) -> None:
    _seeders[name] = (order, seeder)


def seeders() -> list[tuple[str, Seeder]]:
    return [(name, s) for name, (order, s) in sorted(_seeders.items(), key=lambda i: i[1][0])]
