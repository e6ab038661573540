"""Sharded archives on a real Dask cluster: `distributed.LocalCluster` with worker processes.

The same answers as a single index, indexing on the workers, and what a lost worker or an
unreachable scheduler looks like to a user.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

distributed = pytest.importorskip("distributed", reason="needs Dask: pip install 'morgue[cluster]'")

from click.testing import CliRunner  # noqa: E402

from morgue.cli import main  # noqa: E402
from morgue.errors import Unavailable  # noqa: E402
from morgue.indexer.check import check_index  # noqa: E402
from morgue.indexer.cluster import index_on_cluster  # noqa: E402
from morgue.indexer.writer import index_paths  # noqa: E402
from morgue.search import Archive  # noqa: E402
from shard_pages import CORPUS, QUERIES, assert_same_results, write_generated  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def archives(tmp_path_factory, cluster):
    """The corpus and 200 generated pages: a single index, and a 3-shard archive indexed on
    the cluster's workers."""
    base = tmp_path_factory.mktemp("cluster")
    pages = base / "pages"
    write_generated(pages / "generated", 200)
    for site in ("meridian", "riverbend", "courier", "gulf"):
        (pages / site).symlink_to(CORPUS / site)
    index_paths([str(pages)], base / "single", jobs=1)
    report = index_on_cluster([str(pages)], base / "sharded", cluster.scheduler_address, shards=3)
    assert report.ok and report.added + report.duplicates == report.files
    return base, Archive(base / "single", cache_size=0, time_limit=60)


def test_indexing_on_the_cluster_builds_what_one_process_builds(archives):
    base, single = archives
    sharded = Archive(base / "sharded", cache_size=0, time_limit=60)
    assert sharded.stats().articles == single.stats().articles
    assert sharded.stats().shards == 3
    assert check_index(base / "sharded").ok
    for q in QUERIES[:8]:
        assert_same_results(single.search(q), sharded.search(q), label=q)


def test_search_through_the_scheduler_equals_single_index(archives, cluster):
    base, single = archives
    remote = Archive(base / "sharded", scheduler=cluster.scheduler_address, cache_size=0, time_limit=60)
    try:
        assert len(set(remote.shards.workers().values())) == 2, "shards spread over both workers"
        for sort in ("relevance", "newest"):
            for q in QUERIES:
                if sort == "relevance" and q.endswith(("*", "~")):
                    continue
                assert_same_results(single.search(q, sort=sort), remote.search(q, sort=sort),
                                    label=f"{q!r} {sort}")
        hit = single.search("harbour").hits[0]
        assert [h.id for h in single.more_like_this(hit.id)] == [h.id for h in remote.more_like_this(hit.id)]
        assert remote.get(hit.id).headline == hit.headline
        assert remote.stats().articles == single.stats().articles
    finally:
        remote.close()


def test_a_single_index_searched_through_the_scheduler(archives, cluster):
    base, single = archives
    remote = Archive(base / "single", scheduler=cluster.scheduler_address, cache_size=0, time_limit=60)
    try:
        for q in ("river", "council budget", ""):
            assert_same_results(single.search(q), remote.search(q), label=q)
        assert remote.stats().shards == 1
    finally:
        remote.close()


def test_unreachable_scheduler_is_a_clear_error(archives):
    base, _single = archives
    started = time.monotonic()
    with pytest.raises(Unavailable, match="127.0.0.1:9"):
        Archive(base / "sharded", scheduler="tcp://127.0.0.1:9")
    assert time.monotonic() - started < 30
    result = CliRunner().invoke(main, ["search", "--index", str(base / "sharded"), "--scheduler",
                                       "tcp://127.0.0.1:9", "river"])
    assert result.exit_code == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output


def test_a_lost_worker_answers_503_then_its_shards_reopen(archives, tmp_path):
    """A worker killed under `morgue serve --scheduler`: a 503 JSON error naming the shards,
    then answers again from the worker that is left."""
    from webtest import TestApp

    from morgue.web.app import make_app

    base, single = archives
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None) as own:
        remote = Archive(base / "sharded", scheduler=own.scheduler_address, cache_size=0, time_limit=60)
        app = TestApp(make_app(remote))
        assert app.get("/api/search", {"q": "river"}).json["total"] == single.search("river").total
        victim = sorted(set(remote.shards.workers().values()))[0]
        info = distributed.Client(own.scheduler_address, timeout=10)
        try:
            pid = info.run(os.getpid, workers=[victim])[victim]
        finally:
            info.close()
        os.kill(pid, signal.SIGKILL)
        statuses = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            res = app.get("/api/search", {"q": f"river {len(statuses)}"}, expect_errors=True)
            statuses.append(res.status_int)
            if res.status_int == 503:
                error = res.json["error"]
                assert error["status"] == 503 and "shard-" in error["message"]
            if res.status_int == 200 and 503 in statuses:
                break
            time.sleep(0.2)
        assert 503 in statuses and statuses[-1] == 200, statuses
        expected = single.search("river flood")
        assert_same_results(expected, remote.search("river flood"), label="after the loss")
        alive = set(remote.shards.client.scheduler_info(n_workers=-1)["workers"])
        assert victim not in alive and set(remote.shards.workers().values()) <= alive
        remote.close()
