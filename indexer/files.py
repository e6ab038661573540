"""Turning the PATH arguments of `morgue index` into the files to read."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from morgue.errors import MorgueError

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def is_indexable(path: str) -> bool:
    """Whether a file found while walking a directory is a page or WARC archive to index."""
    low = path.lower()
    return low.endswith(HTML_SUFFIXES) or low.endswith(WARC_SUFFIXES)


def expand_paths(args: Iterable[str]) -> Iterator[str]:
    """Yield every file named by `args`: files, directories (recursively, sorted), globs.

    A file named explicitly is yielded whatever its suffix (`.gz` included); files found
    inside directories are filtered by suffix. Raises `MorgueError` naming an argument
    that matches nothing.
    """
    for arg in args:
        if os.path.isdir(arg):
            yield from _walk(arg)
        elif os.path.exists(arg):
            yield arg
        else:
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise MorgueError(f"{arg}: no such file, directory or matching glob")
            for match in matches:
                if os.path.isdir(match):
                    yield from _walk(match)
                elif is_indexable(match):
                    yield match


def _walk(top: str) -> Iterator[str]:
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if is_indexable(name) and not name.startswith("."):
                yield str(Path(root) / name)
