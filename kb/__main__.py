"""`python -m kb`: the same entry point as the `kb` command (kb.cli.main)."""

from kb.cli import main

main()
