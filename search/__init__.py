"""Morgue's public Python API: open an archive, search it, read articles."""

from morgue.search.archive import Archive
from morgue.errors import ArticleNotFound, IndexNotFound, InvalidParameter, MorgueError
from morgue.search.results import ArchiveStats, DateBucket, FacetValue, Hit, SearchResults, StoredArticle

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
