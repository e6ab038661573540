"""The tiered merge policy: segment counts stay bounded, articles are merged a bounded number
of times, and a re-run over unchanged files merges nothing."""

from __future__ import annotations

import math

from conftest import paragraphs


def test_a_tier_is_merged_when_it_holds_factor_segments():
    from morgue.indexer.merging import choose_merges, tier

    assert [tier(n, 10) for n in (0, 1, 9, 10, 99, 100, 1000, 9999)] == [0, 0, 0, 1, 1, 2, 3, 3]
    assert choose_merges([1000] * 9, 10) == set()
    assert choose_merges([1000] * 10 + [50_000], 10) == set(range(10))
    # The lowest full tier first; the smallest of its segments.
    sizes = [5000] * 11 + [20] * 10
    assert choose_merges(sizes, 10) == set(range(11, 21))
    assert choose_merges([2000, 1500] + [1000] * 9, 10) == {1} | set(range(2, 11))
    # Big segments are left alone, and empty ones never chosen.
    assert choose_merges([200_000] * 12 + [0] * 12, 10, max_docs=100_000) == set()


def test_each_article_is_merged_a_bounded_number_of_times():
    # Simulate a long run: batches of 1,000 documents, merging as the writer does.
    from morgue.indexer.merging import MAX_MERGED_DOCS, MERGE_FACTOR, choose_merges

    for batches in (100, 1000):
        segments: list[int] = []
        merged = 0
        for _ in range(batches):
            chosen = choose_merges(segments)
            new = 1000 + sum(segments[i] for i in chosen)
            merged += new - 1000
            segments = [s for i, s in enumerate(segments) if i not in chosen] + [new]
        articles = batches * 1000
        tiers = math.log(MAX_MERGED_DOCS / 1000, MERGE_FACTOR) + 1
        assert merged <= articles * tiers  # linear: a constant number of merges per article
        assert len(segments) <= MERGE_FACTOR * tiers + articles / MAX_MERGED_DOCS


def _pages(write_page, start: int, n: int):
    return [write_page(f"p{i}", f"Harbour ferry report {i}", paragraphs(f"ferry {i}"),
                       url=f"https://t.test/{i}") for i in range(start, start + n)]


def test_indexing_keeps_the_segment_count_bounded(write_page, index_dir, monkeypatch):
    from morgue import Archive
    from morgue.indexer import writer
    from morgue.indexer.merging import TieredMerge
    from morgue.indexer.store import open_existing
    from morgue.indexer.whoosh_internals import segment_count

    monkeypatch.setattr(writer, "TieredMerge", lambda: TieredMerge(factor=3, max_docs=1000))
    counts = []
    for run in range(4):  # several runs, as a daily archive grows
        pages = _pages(write_page, run * 15, 15)
        writer.index_paths([str(p) for p in pages], index_dir, jobs=1, batch_size=2)
        counts.append(segment_count(open_existing(index_dir)))
    # 32 commits wrote articles; without merging there would be 32 segments. With factor 3
    # each tier of log3(60) keeps at most 3.
    assert max(counts) <= 3 * (math.ceil(math.log(60, 3)) + 1) < 32
    assert Archive(index_dir).search("harbour", page_size=1).total == 60


def test_a_re_run_over_unchanged_files_merges_nothing(write_page, index_dir, monkeypatch):
    from morgue.indexer import writer
    from morgue.indexer.merging import TieredMerge
    from morgue.indexer.store import open_existing
    from morgue.indexer.whoosh_internals import segments

    pages = [str(p) for p in _pages(write_page, 0, 10)]
    monkeypatch.setattr(writer, "TieredMerge", lambda: TieredMerge(factor=1000))
    writer.index_paths(pages, index_dir, jobs=1, batch_size=2)
    before = [s.segment_id() for s in segments(open_existing(index_dir))]
    assert len(before) == 5  # one tier of 5 segments: with factor 3 it would be merged
    monkeypatch.setattr(writer, "TieredMerge", lambda: TieredMerge(factor=3, max_docs=1000))
    report = writer.index_paths(pages, index_dir, jobs=1, batch_size=2)
    assert report.unchanged == 10 and report.added == 0
    assert [s.segment_id() for s in segments(open_existing(index_dir))] == before
    # whereas a run that writes one article merges that tier
    writer.index_paths([str(p) for p in _pages(write_page, 10, 1)], index_dir, jobs=1)
    assert len(segments(open_existing(index_dir))) < len(before)
