"""Named exceptions. The CLI turns each into a one-line error on stderr and exit status 1."""


class MorgueError(Exception):
    """Base class for every error Morgue reports to a user."""


class ExtractionError(MorgueError):
    """A page could not be cleaned (not HTML, empty, binary, broken gzip...)."""


class IndexNotFound(MorgueError):
    """There is no index at the given location."""


class IndexLocked(MorgueError):
    """Another process holds the index's write lock."""


class ArticleNotFound(MorgueError):
    """No article has the given id."""
