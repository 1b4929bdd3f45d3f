"""The two kinds of failure that are not a verdict, each with its own exit status."""


class InputError(Exception):
    """A user's mistake: bad flag, bad policy, unreadable input file (exit status 2).

    The message is shown as is, so it must name the file, line and key where it can.
    """


class ServiceError(Exception):
    """A service could not be reached or answered nonsense (exit status 3).

    Never put a secret in the message: it is printed.
    """


class LearnedError(ServiceError):
    """A service failed after something was already learned (diagnostics received): exit status 3
    whatever `on-error` says, because `on-error: warn` only forgives a run that learned nothing."""
