"""Every caption in the article, with its credit split off (issue 19): figcaptions in the
article's header, image blocks without caption markup, JSON-LD image captions; credits split
by principle; credit-only captions kept as credits; junk dropped; `credit:` searches them."""

from __future__ import annotations

import json

import pytest
import webtest
from click.testing import CliRunner

from morgue.cli import main
from morgue.indexer.captions import split_credit
from morgue.indexer.extract import extract
from morgue.indexer.writer import index_paths
from morgue.search.archive import Archive
from morgue.web.app import make_app

PARAS = "".join(
    f"<p>Paragraph {i} of the story says what happened at the harbour on Tuesday, who was there, "
    f"and what the council decided to do about the silted channel next spring.</p>" for i in range(6))


@pytest.mark.parametrize("raw, text, credit", [
    ("Trump asked voters in Louisiana for a big win. Credit... Doug Mills/The New York Times",
     "Trump asked voters in Louisiana for a big win.", "Doug Mills/The New York Times"),
    ("(Image: GETTY )", "", "GETTY"),
    ("Photo: iFixit", "", "iFixit"),
    ("Image via Getty Images", "", "Getty Images"),
    ("A memorial plaque in Braunau am Inn, Austria. Leonhard Foeger / Reuters file",
     "A memorial plaque in Braunau am Inn, Austria.", "Leonhard Foeger / Reuters file"),
    ("The Capitol on July 25, 2019. J. Scott Applewhite / AP file",
     "The Capitol on July 25, 2019.", "J. Scott Applewhite / AP file"),
    ("President speaks in the Rose Garden. (AP Photo/Evan Vucci)",
     "President speaks in the Rose Garden.", "AP Photo/Evan Vucci"),
    ("Firefighters at the scene of the blaze | Getty Images", "Firefighters at the scene of the blaze",
     "Getty Images"),
    ("Traders watch screens in London. Picture: Jane Doe", "Traders watch screens in London.", "Jane Doe"),
    ("Crowds on the promenade. Photograph: Tom Ash", "Crowds on the promenade.", "Tom Ash"),
    ("A man walks his dog on the beach at sunrise.", "A man walks his dog on the beach at sunrise.", None),
])
def test_split_credit(raw, text, credit):
    assert split_credit(raw) == (text, credit)


def page(article_inner: str, head: str = "") -> bytes:
    return f"""<!doctype html><html lang="en"><head><title>Harbour dredging approved | Gazette</title>{head}</head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<main><article>
<header><h1>Harbour dredging approved after long debate</h1>
<figure><img src="/lead.jpg"><figcaption>The silted channel at low tide on Monday.
<span>Credit...</span><span>Doug Mills/The New York Times</span></figcaption></figure></header>
<div class="story-body">{PARAS}{article_inner}</div>
<aside class="related"><figure><img src="/t.jpg"><figcaption>A teaser photo of another story entirely</figcaption></figure></aside>
</article></main>
<footer><figure><img src="/f.jpg"><figcaption>Footer logo caption of the site here</figcaption></figure></footer>
</body></html>""".encode()


def caps(data: bytes) -> list[tuple[str, str | None]]:
    return [(c.text, c.credit) for c in extract(data).captions]


def test_lead_photo_in_the_article_header_is_a_caption_teasers_and_footer_are_not():
    got = caps(page(""))
    assert ("The silted channel at low tide on Monday.", "Doug Mills/The New York Times") in got
    assert not any("teaser" in t or "Footer" in t for t, _ in got)


def test_image_block_without_caption_markup():
    block = ('<div class="pic"><img src="/dredger.jpg"><div class="pic-note">The dredger Kaitiaki '
             'working the channel. <small>Photo / Sam Whitcombe</small></div></div>')
    art = extract(page(block))
    assert ("The dredger Kaitiaki working the channel.", "Sam Whitcombe") in [(c.text, c.credit) for c in art.captions]
    assert "dredger Kaitiaki" not in art.body


def test_json_ld_image_captions_and_credit_only():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Harbour dredging approved after long debate",
          "image": [{"@type": "ImageObject", "url": "https://x.test/a.jpg",
                     "caption": "Councillors vote on the dredging plan", "creditText": "Ana Ruiz"},
                    {"@type": "ImageObject", "url": "https://x.test/b.jpg", "creditText": "Reuters"}]}
    got = caps(page("", head=f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert ("Councillors vote on the dredging plan", "Ana Ruiz") in got
    assert ("", "Reuters") in got


def test_credit_only_caption_and_junk():
    figs = ('<figure><img src="/a.jpg"><figcaption>Photo: iFixit</figcaption></figure>'
            '<figure><img src="/b.jpg"><figcaption>ADVERTISEMENT</figcaption></figure>'
            '<figure><img src="/c.jpg"><figcaption>StockCar</figcaption></figure>')
    got = caps(page(figs))
    assert ("", "iFixit") in got
    assert not any(t in ("ADVERTISEMENT", "StockCar") for t, _ in got)


def test_extract_text_output_shows_a_credit_only_caption(tmp_path):
    f = tmp_path / "p.html"
    f.write_bytes(page('<figure><img src="/a.jpg"><figcaption>Photo: iFixit</figcaption></figure>'))
    res = CliRunner().invoke(main, ["extract", str(f)])
    assert "[caption] (credit only) (iFixit)" in res.output
    res = CliRunner().invoke(main, ["extract", "--json", str(f)])
    assert {"text": "", "credit": "iFixit"} in json.loads(res.output)["captions"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    d = tmp_path_factory.mktemp("capix")
    (d / "pages").mkdir()
    (d / "pages" / "a.html").write_bytes(page('<figure><img src="/a.jpg"><figcaption>Photo: iFixit</figcaption></figure>'))
    index_paths([str(d / "pages")], d / "ix", jobs=1)
    return Archive(d / "ix")


def test_credit_field_finds_photographers_and_caption_field_does_not(archive):
    assert archive.search('credit:"Doug Mills"').total == 1
    assert archive.search("credit:ifixit").total == 1
    assert archive.search("caption:Mills").total == 0
    assert archive.search("caption:silted").total == 1
    assert archive.search("credit:silted").total == 0


def test_article_page_shows_a_credit_only_caption(archive):
    app = webtest.TestApp(make_app(archive))
    hit = archive.search("harbour").hits[0]
    res = app.get(f"/articles/{hit.id}")
    fig = res.html.select("figure.credit-only")
    assert fig and "iFixit" in fig[0].get_text() and "no caption" in fig[0].get_text()
