"""Errors the command line reports as one clear sentence instead of a traceback."""


class UserError(Exception):
    """A problem the user can fix (bad option, missing file, failed check); exits with code 1."""
