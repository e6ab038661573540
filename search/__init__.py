"""Morgue's public Python API: open an archive, search it, read articles."""

__version__ = "0.1.0"

from search.archive import Archive
from search.errors import ArticleNotFound, IndexNotFound, InvalidParameter, MorgueError
from search.results import ArchiveStats, DateBucket, FacetValue, Hit, SearchResults, StoredArticle

__all__ = [
    "Archive",
    "ArchiveStats",
    "ArticleNotFound",
    "DateBucket",
    "FacetValue",
    "Hit",
    "IndexNotFound",
    "InvalidParameter",
    "MorgueError",
    "SearchResults",
    "StoredArticle",
]
