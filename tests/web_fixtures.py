"""A small, deterministic news archive for the web tests: pages written to disk, then indexed.

`build_web_index(tmp_dir)` writes ~40 article pages (four topics, three sites, 2019–2023,
one wire story republished by three sites, one hostile headline) and indexes them with
`indexer.writer.index_paths`, the same path `morgue index` takes.

The fixtures (`web_index`, `web_archive`) are session-scoped: import them into a test module
with `from tests.web_fixtures import web_archive, web_index  # noqa: F401`.
"""

from __future__ import annotations

import html
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SOURCES = ["Harbour Gazette", "Valley Courier", "Northern Ledger"]
DOMAINS = {"Harbour Gazette": "gazette.example", "Valley Courier": "courier.example",
           "Northern Ledger": "ledger.example"}  # fmt: skip
REPORTERS = ["Amira Haddad", "Tom Becker", "Lucia Ferreira", "Owen Pryce", "Mei Lin"]

TOPICS = {
    "Politics": {
        "headlines": [
            "Council approves harbour bridge repairs after long debate",
            "Bridge closure splits council as repair bill grows",
            "Mayor defends council budget for bridge maintenance",
            "Council election campaign opens with bridge pledge",
            "Residents question council over bridge contract",
            "Council delays vote on harbour bridge tolls",
            "New council leader promises bridge inspection",
            "Council publishes report on harbour bridge safety",
            "Opposition demands council inquiry into bridge costs",
            "Council agrees emergency funding for bridge",
        ],
        "sentences": [
            "The council met on {day} to discuss the future of the harbour bridge.",
            "Engineers told councillors that the steel supports of the bridge had corroded faster than expected.",
            "The repair bill is now estimated at {n} million, more than twice the first figure.",
            "Several councillors argued that the bridge should close to heavy lorries until the work is done.",
            "Shop owners near the harbour said a long closure would drive customers away.",
            "The mayor said the council had no choice but to act quickly.",
            "A public meeting in the town hall drew {n} hundred residents.",
            "The opposition group asked for an independent review of the contract.",
            "Officials said the inspection found cracks in three of the bridge piers.",
            "The vote passed by {n} votes after a debate that lasted late into the night.",
        ],
    },
    "Business": {
        "headlines": [
            "Regional bank raises interest rates for savers",
            "Harbour shipping firm reports record profits",
            "Factory expansion to bring hundreds of jobs",
            "Bakery chain opens its tenth shop in the valley",
            "Fishing cooperative signs export deal",
            "Property prices climb for fifth straight month",
            "Brewery wins national award and plans new site",
            "Retailers report slow start to the winter season",
            "Local bank merger approved by regulators",
            "Energy company invests in offshore wind farm",
        ],
        "sentences": [
            "The company said turnover rose by {n} percent compared with the previous year.",
            "Analysts had expected a smaller increase given the weak economy.",
            "The chief executive told shareholders that demand remained strong.",
            "Around {n} new jobs will be created over the next two years.",
            "Interest rates have risen sharply, squeezing household budgets.",
            "Exporters say the weaker currency has helped them win orders abroad.",
            "The bank will open a new branch near the harbour in the spring.",
            "Trade unions welcomed the investment but asked for guarantees on pay.",
            "Shares in the firm closed {n} pence higher on the day.",
            "The regulator said it would keep a close eye on prices.",
        ],
    },
    "Sport": {
        "headlines": [
            "Valley Rovers win the derby in the final minute",
            "Harbour rowing club takes regional title",
            "Striker signs new contract with Valley Rovers",
            "Marathon through the old town draws record field",
            "Cricket club celebrates its hundredth season",
            "Young swimmer breaks national junior record",
            "Rovers manager leaves after poor run of results",
            "Cycling race returns to the coastal road",
            "Tennis academy opens indoor courts",
            "Rugby team promoted after unbeaten season",
        ],
        "sentences": [
            "The crowd of {n} thousand rose to its feet as the whistle blew.",
            "The coach praised the players for their patience and discipline.",
            "It was the club's first trophy in more than a decade.",
            "Supporters travelled from across the region to watch the final.",
            "The goalkeeper made two fine saves in the second half.",
            "Organisers said {n} hundred runners had registered for the race.",
            "The captain said the team would celebrate before preparing for next season.",
            "Training facilities at the ground will be improved over the summer.",
            "The referee's decision caused angry protests from the home bench.",
            "The league table now shows the club {n} points clear at the top.",
        ],
    },
    "Culture": {
        "headlines": [
            "Summer festival announces its music line-up",
            "Museum reopens after a year of restoration",
            "Local author wins prize for harbour novel",
            "Theatre company stages play about the shipyards",
            "Film festival celebrates the valley's history",
            "Choir marks fifty years with anniversary concert",
            "Painter's coastal landscapes go on display",
            "Library launches archive of old newspapers",
            "Jazz club saved by crowdfunding campaign",
            "Street art trail brings visitors to the old town",
        ],
        "sentences": [
            "The festival will run for {n} days and include free events for children.",
            "Tickets went on sale on {day} and sold out within hours.",
            "The director said the programme celebrates the town's maritime past.",
            "Volunteers spent months preparing the exhibition rooms.",
            "Critics praised the production for its humour and warmth.",
            "The museum expects {n} thousand visitors in the first year.",
            "Local schools will take part in workshops during the festival.",
            "The collection includes letters, photographs and old maps of the harbour.",
            "The author read from the novel to a packed audience in the library.",
            "Organisers thanked sponsors and the hundreds of people who donated.",
        ],
    },
}

WIRE = {
    "headline": "Storm brings flooding to coastal towns",
    "paragraphs": [
        "A powerful storm brought heavy rain and high winds to coastal towns overnight, flooding "
        "streets and cutting power to thousands of homes.",
        "Emergency services said they had rescued several people from cars trapped by rising water "
        "near the harbour, and that no serious injuries had been reported.",
        "Forecasters warned that more rain was expected over the weekend and urged residents in "
        "low-lying areas to move valuables upstairs and follow official advice.",
        "Rail services along the coast were suspended while engineers checked the tracks for damage, "
        "and several schools were closed as a precaution.",
    ],
    "published": "2022-11-08T07:30:00+00:00",
    "section": "News",
    "byline": ["Wire Staff"],
}

HOSTILE_HEADLINE = 'Council row over <script>alert("x")</script> & "quotes" in bridge report'


@dataclass
class Story:
    slug: str
    headline: str
    paragraphs: list[str]
    source: str
    section: str
    published: str
    byline: list[str]
    standfirst: str = ""
    captions: list[tuple[str, str | None]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://{DOMAINS[self.source]}/{self.section.lower()}/{self.slug}"


def stories() -> list[Story]:
    """The archive's articles, deterministic."""
    rng = random.Random(20240601)
    out: list[Story] = []
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    for t, (section, topic) in enumerate(TOPICS.items()):
        for i, headline in enumerate(topic["headlines"]):
            k = t * 10 + i
            year = 2019 + (k % 5)
            month = (k * 7) % 12 + 1
            day = (k * 3) % 27 + 1
            sentences = list(topic["sentences"])
            rng.shuffle(sentences)
            paragraphs = []
            for p in range(3):
                chunk = sentences[p * 3 : p * 3 + 4]
                paragraphs.append(" ".join(
                    s.format(n=rng.randint(2, 90), day=rng.choice(days)) for s in chunk
                ) + f" Reporting by the {SOURCES[k % 3]} newsroom, story {k}.")  # fmt: skip
            captions = []
            if k % 4 == 0:
                captions.append((f"A view of the {section.lower()} scene near the harbour lighthouse", "AP"))
            out.append(
                Story(
                    slug=f"{section.lower()}-{i}-{year}",
                    headline=headline,
                    standfirst=f"{headline.split()[0]} news from the region, {year}." if k % 2 == 0 else "",
                    paragraphs=paragraphs,
                    source=SOURCES[k % 3],
                    section=section,
                    published=f"{year}-{month:02d}-{day:02d}T{8 + k % 10:02d}:15:00+00:00",
                    byline=[REPORTERS[k % 5]] + ([REPORTERS[(k + 2) % 5]] if k % 7 == 0 else []),
                    captions=captions,
                    tags=[section.lower(), "region"],
                )
            )
    for source in SOURCES:  # one wire story, republished word for word by every site
        out.append(Story(slug="storm-flooding", headline=WIRE["headline"], paragraphs=WIRE["paragraphs"],
                         source=source, section=WIRE["section"], published=WIRE["published"],
                         byline=list(WIRE["byline"])))  # fmt: skip
    out.append(
        Story(
            slug="hostile",
            headline=HOSTILE_HEADLINE,
            paragraphs=[
                'The report\'s appendix quoted <img src=x onerror=alert(1)> verbatim, and councillors '
                "asked why a bridge document contained such markup at all.",
                "Officials said the text had been pasted from an email and promised to correct the "
                "published version of the bridge report before the next meeting.",
                "The council's technology officer said nobody had been harmed and that the website "
                "had been checked for other copies of the stray code.",
            ],
            source="Harbour Gazette",
            section="Politics",
            published="2023-03-14T10:00:00+00:00",
            byline=["Owen Pryce"],
        )
    )
    return out


def render_page(story: Story) -> str:
    """The story as a news site would serve it: JSON-LD, OpenGraph, and an <article>."""
    e = html.escape
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline,
        "datePublished": story.published,
        "articleSection": story.section,
        "author": [{"@type": "Person", "name": n} for n in story.byline],
        "publisher": {"@type": "Organization", "name": story.source},
        "mainEntityOfPage": story.url,
        "keywords": story.tags,
        "inLanguage": "en",
    }
    if story.standfirst:
        ld["description"] = story.standfirst
    ld_text = json.dumps(ld).replace("</", "<\\/")
    figures = "".join(
        f'<figure><img src="/img/{i}.jpg" alt=""><figcaption>{e(text)}'
        + (f' <span class="credit">Photo: {e(credit)}</span>' if credit else "")
        + "</figcaption></figure>"
        for i, (text, credit) in enumerate(story.captions)
    )
    paragraphs = "".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    byline = ", ".join(story.byline)
    standfirst = f'<p class="standfirst">{e(story.standfirst)}</p>' if story.standfirst else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(story.headline)} | {e(story.source)}</title>
<link rel="canonical" href="{e(story.url)}">
<meta property="og:title" content="{e(story.headline)}">
<meta property="og:site_name" content="{e(story.source)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{e(story.url)}">
<meta property="article:published_time" content="{e(story.published)}">
<meta property="article:section" content="{e(story.section)}">
{"".join(f'<meta name="author" content="{e(n)}">' for n in story.byline)}
<script type="application/ld+json">{ld_text}</script>
</head><body>
<header class="site-header"><a href="/">{e(story.source)}</a>
<nav><a href="/news">News</a> <a href="/sport">Sport</a> <a href="/business">Business</a></nav></header>
<main><article>
<h1>{e(story.headline)}</h1>
{standfirst}
<p class="byline">By {e(byline)} <time datetime="{e(story.published)}">{e(story.published[:10])}</time></p>
{figures}
<div class="article-body">{paragraphs}</div>
</article></main>
<footer><p>&copy; {e(story.source)}. All rights reserved.</p></footer>
</body></html>
"""


def write_pages(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for story in stories():
        path = directory / DOMAINS[story.source] / f"{story.slug}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_page(story), encoding="utf-8")
        paths.append(path)
    return paths


def build_web_index(directory: str | os.PathLike[str]) -> Path:
    """Write the pages under `directory`/pages and index them into `directory`/index."""
    from morgue.indexer.writer import index_paths

    directory = Path(directory)
    pages = write_pages(directory / "pages")
    index_dir = directory / "index"
    report = index_paths([str(p) for p in pages], str(index_dir), jobs=1)
    assert not report.failed, report.to_dict()["failed"]
    return index_dir


@pytest.fixture(scope="session")
def web_index(tmp_path_factory) -> Path:
    return build_web_index(tmp_path_factory.mktemp("web-archive"))


@pytest.fixture(scope="session")
def web_archive(web_index):
    from morgue.search import Archive

    return Archive(web_index)


class LiveServer:
    """The app on a real waitress server in a background thread, on a free 127.0.0.1 port."""

    def __init__(self, app):
        import threading

        from waitress.server import create_server

        self.server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="morgue")
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def get(self, path: str, headers: dict[str, str] | None = None):
        """(status, headers, body bytes) of GET `path`, errors included."""
        import urllib.error
        import urllib.request

        req = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                return res.status, res.headers, res.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read()

    def close(self) -> None:
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(web_archive):
    from morgue.web.app import make_app

    server = LiveServer(make_app(web_archive))
    yield server
    server.close()
