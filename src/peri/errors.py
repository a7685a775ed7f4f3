"""One exception hierarchy: every user-facing failure is a PeriError carrying where and what to do."""
from __future__ import annotations


class PeriError(Exception):
    """Base class. `place` names the file/line/field; `hint` says what to do about it."""

    def __init__(self, message: str, *, place: str | None = None, hint: str | None = None):
        from .redact import redact

        # error text often quotes a server's answer or a URL: secrets are removed here, once, for every error
        self.message = redact(message)
        self.place = redact(place)
        self.hint = redact(hint)
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.place}: {self.message}" if self.place else self.message
        return f"{text} ({self.hint})" if self.hint else text


class NotFound(PeriError):
    """A named athlete, model, generation or file does not exist."""


class ImportFormatError(PeriError):
    """An export file is malformed; `place` is 'FILE:LINE'."""


class PlanParseError(PeriError):
    """A plan's text or JSON could not be read as a plan; `place` is the line."""


class BackendError(PeriError):
    """A model backend failed or kept returning unusable output."""


class ConfigError(PeriError):
    """Bad configuration, missing extra, missing secret or missing consent."""


class DatasetError(PeriError):
    """A fine-tuning dataset is invalid."""


class TrainingError(PeriError):
    """Local or hosted training failed."""


class StorageError(PeriError):
    """The data directory or database cannot be used: full disk, read-only, busy, or not a directory."""


class InvalidInput(ConfigError):
    """A value a person typed (a flag, an answer) is outside its allowed range; `place` names the flag.

    Commands exit with 2 for it (a usage error, like a bad flag), not 1."""
