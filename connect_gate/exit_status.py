"""The exit statuses, in one place: every entry point (the gate, `seed`) returns one of these."""

import enum


class ExitStatus(enum.IntEnum):
    PASSED = 0  # nothing blocks
    BLOCKED = 1  # at least one finding blocks
    INPUT_ERROR = 2  # bad flag, input, policy or file: the user's to fix
    SERVICE_ERROR = 3  # Heroku or the database could not be reached or read
