"""Errors a user can act on. Their message is the one line the CLI and the web app show."""


class QAError(Exception):
    """Base class: `str(error)` says what went wrong and what to do. `key` and `values`, when
    given, name the same message among the chat's own words (qa/web_i18n.py, "error_" + key),
    so that the chat can say it in its reader's language; the CLI and the API keep `str(error)`."""

    def __init__(self, message: str = "", key: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


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
