"""Errors a user can act on. Their message is the one line the CLI and the web app show."""


class QAError(Exception):
    """Base class: `str(error)` says what went wrong and what to do."""


class IndexNotFound(QAError):
    pass


class ModelMismatch(QAError):
    pass


class IndexBusy(QAError):
    pass


class BadQuestion(QAError):
    pass


class StaleIndex(QAError):
    """An index made by an incompatible version of qa."""


class BrokenIndex(QAError):
    """An index whose files cannot be read."""


class IndexWriteError(QAError):
    """The index could not be written (a full disk, read-only or failing storage)."""
