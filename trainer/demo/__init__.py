"""Demo data (`trainer seed-demo`): realistic people and progress, built through the services."""

from flask import Flask


def init_app(app: Flask) -> None:
    from trainer.demo.cli import seed_demo_command

    app.cli.add_command(seed_demo_command)
