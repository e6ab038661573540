"""`python -m morgue ...` runs the `morgue` command."""

from morgue.cli import main

main()
