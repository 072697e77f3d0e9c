"""`python -m dealcraft.cli`: the same command line as the `dealcraft` script."""

from dealcraft.cli import main

main()
