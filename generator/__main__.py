"""`python -m generator` runs the `portal` command."""

from generator.commands.cli import run

run()
