"""The `trainer` console script: Flask's CLI with this app preloaded."""

from flask.cli import FlaskGroup

from trainer import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="Window-service training and certification.")()
