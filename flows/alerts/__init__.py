"""Alerts that reach people: rules from the configuration, a ledger, delivery through apprise."""
