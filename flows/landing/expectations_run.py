"""Placeholder replaced below."""


def validate_batch(con, result, settings):
    return None
