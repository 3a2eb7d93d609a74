"""Registers every subcommand on the ``complaints`` app (one import per command module)."""
