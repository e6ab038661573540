"""Errors of the search API (the index-level ones live in `indexer.errors`)."""

from indexer.errors import ArticleNotFound, IndexNotFound, MorgueError

__all__ = ["InvalidParameter", "ArticleNotFound", "IndexNotFound", "MorgueError"]


class InvalidParameter(MorgueError, ValueError):
    """A search parameter is out of range or malformed; names the parameter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message
