"""Turning raw article HTML into `Article` records and writing them to the index."""

from morgue.indexer.article import Article, Caption

__all__ = ["Article", "Caption"]
