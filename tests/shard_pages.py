"""Generated news pages and the comparisons the sharding tests share (test_shards, test_cluster)."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from conftest import news_page

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

_WORDS = ("harbour council budget river flood bridge school election railway strike drought farm "
          "market bank court police hospital storm museum festival mine factory wages tax road "
          "airport housing water energy wind solar pipeline port fishing forest fire vaccine "
          "union teacher mayor minister treaty border grain coffee copper steel shipping tourism "
          "glacier volcano earthquake heatwave canal ferry tram library stadium orchestra").split()
_SECTIONS = ("World", "Business", "Politics", "Science", "Sport")
_SOURCES = ("The Test Gazette", "Valley Courier", "Harbour Times")
_NAMES = ("Ana Ruiz", "Tom Baker", "Li Wei", "Sara Khan", "Jon Berg")


def write_generated(directory: Path, count: int, *, seed: int = 17) -> list[Path]:
    """`count` pages of random news prose, with wire copies saved under other URLs (so copies
    of one story sit in different shards), shared dates (ties) and undated pages."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    stories: list[tuple[str, list[str]]] = []
    for i in range(count):
        if stories and i % 9 == 4:  # a wire copy of an earlier story under another URL
            headline, paras = rng.choice(stories)
        else:
            topic = rng.sample(_WORDS, 3)
            headline = f"{topic[0].title()} {topic[1]} {rng.choice(('plan', 'row', 'deal', 'report'))} {i}"
            paras = [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(25, 70))).capitalize() + "."
                     for _ in range(rng.randint(2, 5))]
            stories.append((headline, paras))
        day = 1 + (i * 7) % 27
        published = None if i % 23 == 0 else f"20{10 + i % 12:02d}-{1 + i % 12:02d}-{day:02d}T08:00:00+00:00"
        page = news_page(headline, paras, url=f"https://news.example/{i}", published=published,
                         section=_SECTIONS[i % len(_SECTIONS)], source=_SOURCES[i % len(_SOURCES)],
                         byline=(_NAMES[i % len(_NAMES)],))
        path = directory / f"page-{i:04d}.html"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths


#: Queries over the corpus and the generated pages: words, phrases, operators, fields,
#: prefixes, fuzzy words, filters in the query, nothing at all.
QUERIES = ["bridge", "flood river", '"city council"', "water NOT flood", "headline:storm",
           "budget OR tax", "harbour -ferry", "budgt~", "elect*", "", "date:2015", "river date:>2014",
           "author:ruiz", "section:business", "council AND (budget OR school)", "zzqx",
           "caf\u00e9 zo\u00eb", "cafe zoe", "bridge bridge river", "br?dge", "rivr~1", "author:ruis~"]


def hit_keys(results: Any) -> list[tuple]:
    """What a hit shows; a story with copies by all its copies' ids (equal copies tie, and
    which of them stands for the story is a tie broken by document numbers)."""
    return [(frozenset([h.id, *h.copy_ids]) if h.copies else h.id, h.score, h.published, h.copies,
             h.headline_html, h.snippet_html, h.snippet_field, h.caption_html, tuple(h.terms))
            for h in results.hits]


def assert_same_results(one: Any, other: Any, *, label: str = "") -> None:
    """The answers of a single index and a sharded archive are the same.

    Hits are compared in order; hits tied on what the results are sorted by (score, or date),
    whose order each breaks by its own document numbers, are compared as a set: the only
    freedom either has.
    """
    assert one.total == other.total, label
    assert one.facets == other.facets, label
    assert one.histogram == other.histogram and one.interval == other.interval, label
    assert one.suggestion == other.suggestion, label
    assert one.notice == other.notice, label
    assert one.partial is False and other.partial is False, label
    assert one.pages == other.pages and one.sort == other.sort, label
    a, b = hit_keys(one), hit_keys(other)
    assert len(a) == len(b), label
    order = 1 if one.sort == "relevance" else 2  # the score, or the date
    assert [k[order] for k in a] == [k[order] for k in b], label
    groups_a: dict[Any, set] = defaultdict(set)
    groups_b: dict[Any, set] = defaultdict(set)
    for k in a:
        groups_a[k[order]].add(k)
    for k in b:
        groups_b[k[order]].add(k)
    last = a[-1][order] if a else None
    for key in groups_a:
        if key != last:  # a tie cut by the page's end may hold different members
            assert groups_a[key] == groups_b[key], (label, key)
