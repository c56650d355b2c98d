"""`python -m techissue` runs the console script."""

from techissue.cli import main

main()
