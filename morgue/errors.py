"""The errors Morgue reports to its users, defined once for every layer.

Each error carries what it is about (`parameter`, when one value caused it) and the HTTP
status it maps to, so the web app translates every one of them in a single place and the
CLI turns every one into a one-line `Error: ...` with exit status 1 in a single place.
"""

from __future__ import annotations


class MorgueError(Exception):
    """Base class for every error Morgue reports to a user."""

    #: The HTTP status a web request that raised this error answers with.
    status: int = 500

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter


class InvalidParameter(MorgueError, ValueError):
    """A search parameter is out of range or malformed; names the parameter.

    `str(error)` is the whole sentence ("'page' must be a whole number from 1 to 1000
    (got 0)."); the same text reaches Python callers and the JSON API. `detail` is the
    sentence without the parameter's name ("must be a whole number from 1 to 1000 (got 0)."),
    for a front end that names the parameter its own way (`morgue search --page`).
    """

    status = 400

    def __init__(self, parameter: str | None, message: str, *, detail: str | None = None) -> None:
        super().__init__(message, parameter=parameter)
        self.detail = detail or message


class ArticleNotFound(MorgueError):
    """No article has the given id."""

    status = 404

    def __init__(self, message: str) -> None:
        super().__init__(message, parameter="id")


class ExtractionError(MorgueError):
    """A page could not be cleaned (not HTML, empty, binary, broken gzip...)."""

    status = 422


class IndexNotFound(MorgueError):
    """There is no index at the given location."""

    status = 503


class IndexLocked(MorgueError):
    """Another process holds the index's write lock."""

    status = 409


class IndexFormatError(MorgueError):
    """The index was written by a Morgue whose format this one cannot read."""

    status = 503


class Unavailable(MorgueError):
    """A part of the archive cannot answer right now (a cluster worker was lost); retry."""

    status = 503


__all__ = ["MorgueError", "InvalidParameter", "ArticleNotFound", "ExtractionError",
           "IndexNotFound", "IndexLocked", "IndexFormatError", "Unavailable"]
