"""Demo data (`trainer seed-demo`): realistic people and progress, built through the services."""

from flask import Flask

from trainer.demo.cli import seed_demo_command
from trainer.demo.people import advance_to_targets, seed_people
from trainer.seeding import register_seeder


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    register_seeder(app, "people", seed_people, order=0)
    register_seeder(app, "path", advance_to_targets, order=1000)
