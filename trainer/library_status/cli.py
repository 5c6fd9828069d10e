"""`trainer library status`: what differs between the database and the repository's files."""

import click
from flask.cli import AppGroup

from trainer.library_status.services import DIFFERENCE_LABELS, library_status

library_cli = AppGroup("library", help="The library: files in the repository and the database.")


@library_cli.command("status")
@click.option("--diff", "show_diff", is_flag=True, help="Print the lines: - database, + file.")
def status_command(show_diff: bool) -> None:
    """List items new in the UI, new in the files, and in conflict; exit 0.

    Resolve them on the library status page (take the file / keep mine / merge by hand), or
    export the database (`trainer content export`, `trainer banks export --all`) and commit.
    """
    total = 0
    for status in library_status(with_diffs=show_diff):
        for problem in status.problems:
            click.echo(f"{status.name}: {problem}", err=True)
        counts = {d: sum(e.difference is d for e in status.entries) for d in DIFFERENCE_LABELS}
        click.echo(
            f"{status.name}: "
            + ", ".join(f"{n} {str(DIFFERENCE_LABELS[d]).lower()}" for d, n in counts.items())
        )
        for entry in status.entries:
            total += 1
            click.echo(f"  {DIFFERENCE_LABELS[entry.difference]}: {entry.key}")
            for left, right, tag in entry.rows:
                if tag in ("changed", "removed"):
                    click.echo(f"    - {left}")
                if tag in ("changed", "added"):
                    click.echo(f"    + {right}")
    click.echo(f"{total} differences" if total else "the database matches the files")
