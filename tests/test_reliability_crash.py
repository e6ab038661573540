"""Crashes: SIGKILL at random points, write errors (a size-limited file system), two writers.

Builds on tests/test_index.py (a SIGKILL at two fixed delays, the lock message with an
in-process lock): here the kill points are random (seeded), every run is verified with
`indexer.check.check_index`, and the writers are real `morgue index` processes.
MORGUE_STRESS=1 (or `-m slow`) runs many more seeds.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import news_page, paragraphs
from tests import midrun
from morgue.indexer.check import check_index
from morgue.indexer.store import exists
from morgue.indexer.writer import index_paths
from morgue.search import Archive

STRESS = os.environ.get("MORGUE_STRESS") == "1"
BATCH = 20
FIGURES: dict[str, int] = {"kills": 0, "kills survived": 0}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("crash-pages")
    for i in range(160):
        (directory / f"p{i:04d}.html").write_text(
            news_page(f"Council minutes number {i}", paragraphs(f"item {i}"), url=f"https://t.test/minutes/{i}"),
            encoding="utf-8")
    return directory


def _morgue_index(index_dir: Path, pages: Path, *extra: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "morgue", "index", "--index", str(index_dir), "--jobs", "1", *extra, str(pages)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "MORGUE_BATCH_SIZE": str(BATCH)}, **kw)


def _assert_complete(index_dir: Path, n: int) -> None:
    report = check_index(index_dir)
    assert report.ok, report.problems
    assert report.articles == n and report.manifest_articles == n, report.to_dict()
    archive = Archive(index_dir)
    assert archive.search("council minutes", page_size=1).total == n


def _kill_and_recover(pages: Path, work: Path, seed: int) -> dict:
    """Kill a run at a random point between its first commit and its last (see tests/midrun.py),
    check what it left, and complete it with a rerun."""
    rnd = random.Random(seed)
    pages_copy = work / "pages"
    shutil.copytree(pages, pages_copy)
    index_dir = work / "index"
    names = sorted(p.name for p in pages_copy.iterdir())
    n = len(names)
    # Two held pages: the run commits every batch before the first, is let past it, and is
    # killed at a random moment (cleaning, writing or committing) before it reaches the second.
    first = rnd.randrange(BATCH + 1, n - 2 * BATCH)
    second = rnd.randrange(first + BATCH, n - 1)
    held = midrun.hold_pages(pages_copy, [names[first], names[second]])
    proc = _morgue_index(index_dir, pages_copy, start_new_session=True)
    try:
        midrun.wait_for_commits(index_dir, first // BATCH * BATCH, proc)
        midrun.release(pages_copy / names[first], held[pages_copy / names[first]])
        time.sleep(rnd.uniform(0.0, 0.4))
    finally:
        midrun.kill_group(proc)
    FIGURES["kills"] += 1
    report = check_index(index_dir)
    assert report.ok, (seed, report.problems)  # opens, segments and stored docs readable
    before = report.articles
    # the kill landed mid-run: after the first commit, before the last
    assert BATCH <= first // BATCH * BATCH <= before < n, (seed, first, before)
    # every committed batch is whole: the writer commits BATCH articles at a time
    assert before % BATCH == 0, (seed, before)
    # the manifest never leads the index (check_index: "missing from the index")
    assert report.manifest_articles <= before
    assert Archive(index_dir).search("council minutes", page_size=1).total == before
    midrun.restore(held)
    rerun = index_paths([str(pages_copy)], index_dir, jobs=1)
    assert not rerun.failed
    _assert_complete(index_dir, n)  # no duplicates, nothing lost
    FIGURES["kills survived"] += 1
    return {"seed": seed, "committed_before_kill": before}


@pytest.mark.parametrize("seed", [7, 23])
def test_sigkill_at_a_random_point_loses_no_committed_batch_and_a_rerun_completes(pages, tmp_path, seed):
    _kill_and_recover(pages, tmp_path, seed)


@pytest.mark.slow
@pytest.mark.skipif(not STRESS, reason="long version: MORGUE_STRESS=1")
def test_sigkill_many_seeds(pages, tmp_path):
    seeds = [int(s) for s in os.environ.get("MORGUE_KILL_SEEDS", "").split(",") if s] or list(range(100, 120))
    for seed in seeds:
        (tmp_path / f"run-{seed}").mkdir()
        _kill_and_recover(pages, tmp_path / f"run-{seed}", seed)


@pytest.mark.slow
@pytest.mark.skipif(not STRESS, reason="long version: MORGUE_STRESS=1")
def test_repeated_kills_of_the_same_run_until_it_finishes(pages, tmp_path):
    """Kill, restart, kill again...: each restart resumes; the index is whole at every step."""
    index_dir = tmp_path / "index"
    rnd = random.Random(99)
    n = len(list(pages.iterdir()))
    for _ in range(8):
        proc = _morgue_index(index_dir, pages)
        time.sleep(rnd.uniform(0.8, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        FIGURES["kills"] += 1
        if exists(index_dir):
            assert check_index(index_dir).ok
        FIGURES["kills survived"] += 1
    index_paths([str(pages)], index_dir, jobs=1)
    _assert_complete(index_dir, n)


# -- disk full: RLIMIT_FSIZE makes every write past the limit fail with EFBIG ------------------


def _limited(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG from write(), not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _fill_until_write_error(pages: Path, index_dir: Path) -> subprocess.CompletedProcess:
    proc = _morgue_index(index_dir, pages, preexec_fn=_limited(150_000))
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_write_error_mid_run_leaves_an_intact_index_that_a_rerun_completes(pages, tmp_path):
    index_dir = tmp_path / "index"
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "seed.html").write_text(news_page("Lighthouse keeper retires", paragraphs("lighthouse")),
                                    encoding="utf-8")
    index_paths([str(seed)], index_dir, jobs=1)
    result = _fill_until_write_error(pages, index_dir)
    assert result.returncode != 0  # it did not pretend to succeed
    report = check_index(index_dir)
    assert report.ok, report.problems
    assert Archive(index_dir).search("lighthouse").total == 1  # what was there before is intact
    assert report.articles % BATCH == 1 or report.articles == 161
    index_paths([str(pages)], index_dir, jobs=1)
    _assert_complete_with_seed(index_dir)


def _assert_complete_with_seed(index_dir: Path) -> None:
    report = check_index(index_dir)
    assert report.ok and report.articles == 161, report.to_dict()


def test_write_error_gives_a_clear_one_line_error(pages, tmp_path):
    result = _fill_until_write_error(pages, tmp_path / "index")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error:") and ("File too large" in result.stderr or "disk" in result.stderr)


# -- two writers at once ---------------------------------------------------------------------


def test_two_morgue_index_at_once_one_waits_or_exits_clearly_and_nothing_is_corrupted(pages, tmp_path):
    index_dir = tmp_path / "index"
    first = _morgue_index(index_dir, pages, "--lock-timeout", "60")
    time.sleep(1.2)  # the first holds the lock
    second = _morgue_index(index_dir, pages, "--lock-timeout", "0.5")
    third = _morgue_index(index_dir, pages, "--lock-timeout", "120")  # waits its turn
    out2, err2 = second.communicate(timeout=120)
    out1, err1 = first.communicate(timeout=120)
    out3, err3 = third.communicate(timeout=180)
    assert first.returncode == 0, err1
    assert second.returncode in (0, 1)
    if second.returncode == 1:  # it did not wait long enough: the clear message
        assert "another process" in err2 and "--lock-timeout" in err2 and "Traceback" not in err2
    assert third.returncode == 0, err3
    assert "0 added" in out3  # the waiter found everything done
    _assert_complete(index_dir, 160)


def test_check_reports_damage(pages, tmp_path):
    index_dir = tmp_path / "index"
    index_paths([str(pages)], index_dir, jobs=1, batch_size=40)
    assert check_index(index_dir).ok
    # a segment file cut short
    seg = max(index_dir.glob("MAIN_*.seg"), key=lambda p: p.stat().st_size)
    data = seg.read_bytes()
    seg.write_bytes(data[: len(data) // 3])
    report = check_index(index_dir)
    assert not report.ok and any("segment" in p or "index" in p for p in report.problems), report.problems
    json.dumps(report.to_dict())
    # no index at all / the manifest names articles the index lacks
    assert not check_index(tmp_path / "nothing").ok
    other = tmp_path / "other"
    index_paths([str(pages)], other, jobs=1)
    import sqlite3

    db = sqlite3.connect(other / "morgue-manifest.sqlite")
    with db:
        db.execute("INSERT INTO articles VALUES ('ffffffffffffffff', 'k', 'p', 'h', NULL)")
    db.close()
    report = check_index(other)
    assert not report.ok and "missing from the index" in report.problems[0]


def test_check_sees_a_running_writer(pages, tmp_path):
    from morgue.indexer.lock import WriteLock

    index_dir = tmp_path / "index"
    index_paths([str(pages)], index_dir, jobs=1)
    with WriteLock(index_dir):
        report = check_index(index_dir)
        assert report.ok and report.locked_by == str(os.getpid())
    assert check_index(index_dir).locked_by is None

