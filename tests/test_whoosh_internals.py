"""The fence around Whoosh's private parts: one module, installed on purpose, version checked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_a_different_whoosh_version_is_refused_with_the_fix():
    from morgue.errors import MorgueError
    from morgue.indexer.whoosh_internals import WHOOSH_VERSION, check_version

    check_version(WHOOSH_VERSION)  # the pinned one passes
    with pytest.raises(MorgueError) as err:
        check_version("2.7.4")
    message = str(err.value)
    assert "2.7.4 is installed" in message
    assert f"pip install Whoosh-Reloaded=={WHOOSH_VERSION}" in message


def test_the_zero_copy_reader_is_installed_on_opening_not_on_import(tmp_path):
    script = (
        "from whoosh.filedb import compound\n"
        "import morgue.indexer.store as store, morgue.search.archive\n"
        "from morgue.indexer.whoosh_internals import LazyBufferFile\n"
        "before = compound.BufferFile is LazyBufferFile\n"
        f"store.open_or_create({str(tmp_path / 'ix')!r})\n"
        "print(before, compound.BufferFile is LazyBufferFile)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_only_the_internals_module_touches_private_whoosh_attributes():
    private = re.compile(r"\._(segments|segment|perdoc|cached_reader|read_ids|read_weights|"
                         r"read_values|next_block|ids|weights|data)\b")
    offenders = []
    for folder in ("search", "indexer", "web", "morgue"):
        for path in (ROOT / folder).glob("*.py"):
            if path.name == "whoosh_internals.py":
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if private.search(line):
                    offenders.append(f"{folder}/{path.name}:{n}: {line.strip()}")
    assert not offenders, offenders
