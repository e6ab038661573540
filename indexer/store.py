"""Opening and creating the Whoosh index directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh import index as whoosh_index

from morgue.indexer import whoosh_internals
from morgue.errors import IndexFormatError, IndexNotFound
from morgue.indexer.schema import FORMAT_VERSION, build_schema

INDEX_NAME = "MAIN"

#: The file in an index directory that records its format version (`schema.FORMAT_VERSION`).
FORMAT_FILE = "morgue-format.json"

_REBUILD = ("rebuild it with `morgue index --force --index {dir} PATH...` "
            "(or index into a new directory)")


def default_index_dir() -> Path:
    """`$MORGUE_INDEX`, else `$XDG_DATA_HOME/morgue/index` (`~/.local/share/morgue/index`)."""
    env = os.environ.get("MORGUE_INDEX")
    if env:
        return Path(env)
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data_home) / "morgue" / "index"


def exists(index_dir: str | Path) -> bool:
    return Path(index_dir).is_dir() and whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)


def open_or_create(index_dir: str | Path, *, rebuild: bool = False):
    """The Whoosh index in `index_dir`, created empty if there is none.

    An index of another format raises `IndexFormatError`, unless `rebuild` (for
    `morgue index --force`), which replaces it with a new, empty one.
    """
    whoosh_internals.install()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    if exists(index_dir):
        if not rebuild or _is_current(index_dir):
            check_format(index_dir)
            if index_format(index_dir) is None:
                _record_format(index_dir)
            return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    ix = whoosh_index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)
    _record_format(index_dir)
    return ix


def open_existing(index_dir: str | Path):
    """The Whoosh index in `index_dir`; `IndexNotFound` names the directory when missing,
    `IndexFormatError` says how to rebuild an index of another format."""
    whoosh_internals.install()
    if not exists(index_dir):
        raise IndexNotFound(
            f"{index_dir}: no Morgue index here (create one with `morgue index --index {index_dir} PATH...`)"
        )
    check_format(index_dir)
    return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)


def index_format(index_dir: str | Path) -> int | None:
    """The format version recorded in `index_dir`, None when none is (a Morgue index written
    before versions were recorded, whose layout is format 1)."""
    path = Path(index_dir) / FORMAT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return int(json.loads(text)["format"])
    except (ValueError, KeyError, TypeError):
        raise IndexFormatError(f"{path}: unreadable index format record {text[:80]!r}; "
                               f"{_REBUILD.format(dir=index_dir)}") from None


def check_format(index_dir: str | Path) -> None:
    """Raise `IndexFormatError` unless the index in `index_dir` is of `FORMAT_VERSION`."""
    found = index_format(index_dir)
    if (found or 1) != FORMAT_VERSION:
        raise IndexFormatError(
            f"{index_dir}: this index is in Morgue's index format {found or 1}, and this Morgue "
            f"reads format {FORMAT_VERSION}; {_REBUILD.format(dir=index_dir)}")


def _is_current(index_dir: Path) -> bool:
    try:
        check_format(index_dir)
    except IndexFormatError:
        return False
    return True


def _record_format(index_dir: Path) -> None:
    tmp = index_dir / (FORMAT_FILE + ".tmp")
    tmp.write_text(json.dumps({"format": FORMAT_VERSION}) + "\n", encoding="utf-8")
    os.replace(tmp, index_dir / FORMAT_FILE)
