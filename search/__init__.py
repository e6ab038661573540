"""Morgue's public Python API: open an archive, search it, read articles.

The names below are imported on first use, so that `morgue.search.request` (the search
contract, which the CLI reads at start-up) loads without Whoosh and numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Archive": "morgue.search.archive",
    "ArchiveStats": "morgue.search.results",
    "ArticleNotFound": "morgue.errors",
    "DateBucket": "morgue.search.results",
    "FacetValue": "morgue.search.results",
    "Hit": "morgue.search.results",
    "IndexNotFound": "morgue.errors",
    "InvalidParameter": "morgue.errors",
    "MorgueError": "morgue.errors",
    "SearchRequest": "morgue.search.request",
    "SearchResults": "morgue.search.results",
    "StoredArticle": "morgue.search.results",
}

__all__ = ["Archive", "ArchiveStats", "ArticleNotFound", "DateBucket", "FacetValue", "Hit",
           "IndexNotFound", "InvalidParameter", "MorgueError", "SearchRequest", "SearchResults",
           "StoredArticle"]
assert set(__all__) == set(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from morgue.errors import ArticleNotFound, IndexNotFound, InvalidParameter, MorgueError
    from morgue.search.archive import Archive
    from morgue.search.request import SearchRequest
    from morgue.search.results import (
        ArchiveStats, DateBucket, FacetValue, Hit, SearchResults, StoredArticle)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'morgue.search' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
