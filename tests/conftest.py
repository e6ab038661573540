"""Fixtures that build throwaway archives from pages written for the tests."""

from __future__ import annotations

import html
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def news_page(
    headline: str,
    paragraphs: list[str],
    *,
    url: str | None = None,
    published: str | None = "2021-03-04T10:00:00+00:00",
    modified: str | None = None,
    section: str = "World",
    source: str = "The Test Gazette",
    byline: tuple[str, ...] = ("Ana Ruiz",),
    standfirst: str = "",
    captions: tuple[tuple[str, str], ...] = (),
    lang: str = "en",
) -> str:
    """A modern news page (JSON-LD, OpenGraph, <article>) with the usual boilerplate around it."""
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "articleSection": section,
        "author": [{"@type": "Person", "name": n} for n in byline],
        "publisher": {"@type": "Organization", "name": source},
    }
    if published:
        ld["datePublished"] = published
    if modified:
        ld["dateModified"] = modified
    if url:
        ld["mainEntityOfPage"] = url
    e = html.escape
    figures = "".join(
        f'<figure><img src="/p{i}.jpg" alt=""><figcaption>{e(t)} <span class="credit">{e(c)}</span>'
        f"</figcaption></figure>"
        for i, (t, c) in enumerate(captions)
    )
    body = "".join(f"<p>{e(p)}</p>" for p in paragraphs)
    canonical = f'<link rel="canonical" href="{e(url)}">' if url else ""
    time_el = f'<time datetime="{e(published)}">{e(published[:10])}</time>' if published else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{e(headline)} | {e(source)}</title>{canonical}
<meta property="og:title" content="{e(headline)}">
<meta property="og:site_name" content="{e(source)}">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<main><article>
<h1>{e(headline)}</h1>
{f'<p class="standfirst">{e(standfirst)}</p>' if standfirst else ''}
<div class="byline">By {e(' and '.join(byline))} {time_el}</div>
{figures}
<div class="article-body">{body}</div>
<div class="share">Share on Facebook Share on X Email this story</div>
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/x">Council approves budget for new library wing</a></li></ul></aside>
</main>
<footer>© 2021 {e(source)}. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


PARA = (
    "The {0} was the subject of a long debate at the council meeting on Tuesday evening, "
    "where residents asked officials to explain the delays and the rising costs of the work."
)


def paragraphs(topic: str, n: int = 3) -> list[str]:
    """n distinct, realistic paragraphs mentioning `topic`."""
    extra = [
        "Officials said the contractor expected to finish before the end of the year.",
        "Several speakers said they had waited years for a decision and wanted answers now.",
        "The mayor promised a public report on the schedule within the next two weeks.",
        "Opponents said the money would be better spent on roads and the town's schools.",
    ]
    return [PARA.format(topic)] + extra[: max(0, n - 1)]


@pytest.fixture
def write_page(tmp_path: Path) -> Callable[..., Path]:
    """Write a `news_page(...)` to tmp_path/pages/<name>.html and return its path."""

    def write(name: str, headline: str, paras: list[str] | None = None, **kw: Any) -> Path:
        path = tmp_path / "pages" / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(news_page(headline, paras or paragraphs(headline.lower()), **kw), encoding="utf-8")
        return path

    return write


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def build_archive(tmp_path: Path, index_dir: Path) -> Callable[..., Any]:
    """Index the given paths (default: tmp_path/pages) with one process and open the archive."""
    from morgue.indexer.writer import index_paths
    from morgue.search import Archive

    def build(paths: list[Path] | None = None, **kw: Any):
        index_paths([str(p) for p in (paths or [tmp_path / "pages"])], index_dir, jobs=1, **kw)
        return Archive(index_dir)

    return build


@pytest.fixture(scope="session")
def corpus_archive(tmp_path_factory: pytest.TempPathFactory):
    """The bundled sample archive, indexed once per test session."""
    from morgue.indexer.writer import index_paths
    from morgue.search import Archive

    directory = tmp_path_factory.mktemp("corpus-index")
    report = index_paths([str(ROOT / "corpus")], directory, jobs=2)
    assert not report.failed, report.failed
    return Archive(directory)


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when the shared data is absent."""
    path = SHARED.joinpath("data", *parts)
    if not path.exists():
        pytest.skip(f"third-party test data not found at {path} (../shared is absent)")
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Under `make stress` (MORGUE_STRESS=1), print the figures the reliability tests collected
    (kills survived, requests served, errors...). Not a test: it checks nothing."""
    if os.environ.get("MORGUE_STRESS") != "1":
        return
    for name in sorted(sys.modules):
        module = sys.modules[name]
        figures = getattr(module, "FIGURES", None)
        if name.rpartition(".")[2].startswith("test_reliability_") and figures:
            terminalreporter.write_line(f"{name.rpartition('.')[2]}: {json.dumps(figures)}")
