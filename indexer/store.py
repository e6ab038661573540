"""Opening and creating the Whoosh index directory."""

from __future__ import annotations

import os
from pathlib import Path

from whoosh import index as whoosh_index

from morgue.indexer import whoosh_internals
from morgue.errors import IndexNotFound
from morgue.indexer.schema import build_schema

INDEX_NAME = "MAIN"


def default_index_dir() -> Path:
    """`$MORGUE_INDEX`, else `$XDG_DATA_HOME/morgue/index` (`~/.local/share/morgue/index`)."""
    env = os.environ.get("MORGUE_INDEX")
    if env:
        return Path(env)
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data_home) / "morgue" / "index"


def exists(index_dir: str | Path) -> bool:
    return Path(index_dir).is_dir() and whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)


def open_or_create(index_dir: str | Path):
    """The Whoosh index in `index_dir`, created empty if there is none."""
    whoosh_internals.install()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    if exists(index_dir):
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    return whoosh_index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)


def open_existing(index_dir: str | Path):
    """The Whoosh index in `index_dir`; `IndexNotFound` names the directory when missing."""
    whoosh_internals.install()
    if not exists(index_dir):
        raise IndexNotFound(
            f"{index_dir}: no Morgue index here (create one with `morgue index --index {index_dir} PATH...`)"
        )
    return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
