"""How a database check says it could not judge: kept apart from state.py so that checks load light."""


class NotApplicableError(Exception):
    """The check cannot apply (e.g. the table it reads does not exist): a SKIPPED finding."""


class DataUnavailableError(Exception):
    """The data the check needs could not be read: an ERROR finding."""
