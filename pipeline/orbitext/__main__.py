"""``python -m orbitext``: the same command line as the ``orbitext`` script."""

from orbitext.cli import main

main()
