"""``python -m dealcraft``: the same command line as the ``dealcraft`` script."""

from dealcraft.cli import main

if __name__ == "__main__":
    main()
