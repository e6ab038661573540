"""Morgue: full-text search for archives of news articles.

The public Python API:

    >>> from morgue import Archive
    >>> archive = Archive("var/index")
    >>> results = archive.search("bridge repairs", sort="newest", date_from="2012")

Installed, Morgue is this one package: its layers are `morgue.indexer` (HTML → articles →
index), `morgue.search` (reading the index: the API below) and `morgue.web` (the Bottle
app), with the `morgue` command in `morgue.cli` above all three. The names below are
imported on first use, so `import morgue` stays cheap for the indexer's worker processes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS = {
    "Archive": "morgue.search.archive",
    "ArchiveStats": "morgue.search.results",
    "DateBucket": "morgue.search.results",
    "FacetValue": "morgue.search.results",
    "Hit": "morgue.search.results",
    "SearchResults": "morgue.search.results",
    "StoredArticle": "morgue.search.results",
    "MorgueError": "morgue.errors",
    "InvalidParameter": "morgue.errors",
    "ArticleNotFound": "morgue.errors",
    "IndexNotFound": "morgue.errors",
}

__all__ = [
    "__version__", "Archive", "ArchiveStats", "DateBucket", "FacetValue", "Hit", "SearchResults",
    "StoredArticle", "MorgueError", "InvalidParameter", "ArticleNotFound", "IndexNotFound",
]

if TYPE_CHECKING:  # pragma: no cover
    from morgue.errors import ArticleNotFound, IndexNotFound, InvalidParameter, MorgueError
    from morgue.search.archive import Archive
    from morgue.search.results import (
        ArchiveStats, DateBucket, FacetValue, Hit, SearchResults, StoredArticle)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'morgue' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
