"""Turning raw article HTML into `Article` records and writing them to the index."""

from indexer.article import Article, Caption

__all__ = ["Article", "Caption"]
