"""More like this: the article most like the one shown comes first, unrelated ones do not come."""

from __future__ import annotations

import pytest

TARGET = [
    "The Gull Point lighthouse will be restored after the keeper's cottage was damaged by winter storms.",
    "Volunteers from the lighthouse trust said the lantern, the cottage roof and the stone tower "
    "needed repairs before the summer, when the lighthouse reopens to visitors.",
]
ARTICLES = {
    # shares the lighthouse, keeper, cottage, lantern, tower and trust
    "closest": ("Lighthouse trust raises money for lantern and tower repairs", [
        "The lighthouse trust has raised money to repair the lantern and the stone tower at Gull Point.",
        "The keeper's cottage, damaged by storms, will be repaired next, the trust said.",
    ]),
    # shares only the storms and the winter
    "weaker": ("Winter storms close coastal roads", [
        "Winter storms closed several coastal roads and damaged fences near the harbour.",
        "Road crews expect to reopen the routes within a week.",
    ]),
}
UNRELATED = [
    ("School board approves new maths curriculum", "The school board approved a new maths curriculum for pupils."),
    ("Bakery wins regional bread award", "A family bakery won the regional award for its sourdough bread."),
    ("Council sets parking charges for market day", "Parking charges on market day will rise, the council said."),
    ("Football club signs young goalkeeper", "The football club signed a young goalkeeper from the academy."),
    ("Library extends opening hours", "The library will open until eight on weekdays from next month."),
    ("Orchestra announces spring concerts", "The orchestra announced four spring concerts at the town hall."),
]


@pytest.fixture
def archive(write_page, build_archive):
    write_page("target", "Gull Point lighthouse to be restored after storms", TARGET, url="https://t.test/target")
    for name, (headline, paras) in ARTICLES.items():
        write_page(name, headline, paras, url=f"https://t.test/{name}")
    for i, (headline, text) in enumerate(UNRELATED):
        write_page(f"other{i}", headline, [text], url=f"https://t.test/other{i}")
    return build_archive()


def test_the_most_similar_article_comes_first(archive):
    target = archive.search('headline:"gull point lighthouse"').hits[0]
    similar = [h.headline for h in archive.more_like_this(target.id, limit=5)]
    assert similar[:2] == [ARTICLES["closest"][0], ARTICLES["weaker"][0]]
    # articles sharing no telling word with it are not offered as similar
    assert not set(similar) & {headline for headline, _ in UNRELATED}


def test_similar_articles_are_ranked_by_score(archive):
    target = archive.search('headline:"gull point lighthouse"').hits[0]
    scores = [h.score for h in archive.more_like_this(target.id, limit=5)]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
