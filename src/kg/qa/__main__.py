"""`python -m kg.qa [--store DIR] ask …`: the `kg` command line with `ask` added.

The same as `kg ask` once the command is registered on the `kg` group; handy before that
and for tests that need the command in a subprocess either way.
"""

from ..cli import main
from .command import ask

if "ask" not in main.commands:
    main.add_command(ask)

if __name__ == "__main__":
    main(prog_name="kg")
