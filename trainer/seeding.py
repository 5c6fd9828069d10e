"""The demo seeder registry: each feature adds its demo data after the people exist.

Seeders run in `order`; each receives the shared DemoContext so that, say, the quiz seeder can
give passed exam attempts to the trainees the foundation placed past the exam. The registry
lives on the app (`app.extensions["demo_seeders"]`); `trainer seed-demo` runs it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker
from flask import Flask, current_app

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


def register_seeder(app: Flask, name: str, seeder: Seeder, order: int = 100) -> None:
    app.extensions["demo_seeders"][name] = (order, seeder)


def seeders() -> list[tuple[str, Seeder]]:
    registered = current_app.extensions["demo_seeders"]
    return [(name, s) for name, (order, s) in sorted(registered.items(), key=lambda i: i[1][0])]


def init_app(app: Flask) -> None:
    app.extensions["demo_seeders"] = {}
