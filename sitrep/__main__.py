"""``python -m sitrep``: the same command line as the ``sitrep`` script (for a venv
whose scripts directory is not on PATH, and for tests that start the interpreter)."""

from sitrep.cli import main

if __name__ == "__main__":
    main()
