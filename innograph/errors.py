"""Errors that the CLI reports as one sentence instead of a traceback."""


class InnographError(Exception):
    """A user-facing error: the message is a complete sentence that says what to do."""


class InputFormatError(InnographError):
    """An input file is missing, unreadable or not in the expected format."""


class DatabaseLockedError(InnographError):
    """Another process holds the database for writing."""


class WriteQueryError(InnographError):
    """A read-only runner was given a query that writes."""
