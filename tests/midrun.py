"""Arranging a kill that lands in the middle of an indexing run, on a fast or a slow machine.

A timed kill ("sleep 1.5 s, then SIGKILL") lands after the run on a fast machine and before
the first commit on a slow one. Here the run is held instead: some of its pages are named
pipes (FIFOs), and the writer blocks reading one until the test writes the page into it.
The test waits for the first committed batch (in the manifest), lets the run go on past a
pipe, and kills it while a later pipe still holds it back: the kill lands after the first
commit and before the last, whatever the machine's speed.
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from morgue.indexer.manifest import MANIFEST_NAME


def hold_pages(pages: Path, names: list[str]) -> dict[Path, bytes]:
    """Turn the pages `names` (in `pages`) into named pipes; returns each pipe's content."""
    held: dict[Path, bytes] = {}
    for name in names:
        path = pages / name
        held[path] = path.read_bytes()
        path.unlink()
        os.mkfifo(path)
    return held


def release(pipe: Path, data: bytes, timeout: float = 60.0) -> None:
    """Write `data` into `pipe` once the writer opens it to read (fails after `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
            if time.monotonic() > deadline:
                raise AssertionError(f"the writer never opened {pipe.name}") from None
            time.sleep(0.01)
    try:
        os.set_blocking(fd, True)
        os.write(fd, data)
    finally:
        os.close(fd)


def restore(held: dict[Path, bytes]) -> None:
    """Put the held pages back as ordinary files (for the run that completes the index)."""
    for path, data in held.items():
        path.unlink()
        path.write_bytes(data)


def manifest_articles(index_dir: Path) -> int:
    """Articles the manifest records (0 before the first commit)."""
    path = index_dir / MANIFEST_NAME
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:  # the table is being created
        return 0


def wait_for_commits(index_dir: Path, articles: int, proc: subprocess.Popen,
                     timeout: float = 120.0) -> int:
    """Wait until the manifest records at least `articles`; the count then."""
    deadline = time.monotonic() + timeout
    while True:
        have = manifest_articles(index_dir)
        if have >= articles:
            return have
        if proc.poll() is not None:
            raise AssertionError(f"the writer exited ({proc.returncode}) after {have} articles")
        if time.monotonic() > deadline:
            raise AssertionError(f"only {have} of {articles} articles committed in {timeout:g} s")
        time.sleep(0.01)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the writer and its cleaning processes (started with start_new_session=True)."""
    assert proc.poll() is None, "the run finished before the kill"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
