"""Phrase queries answered from positions over whole posting lists agree with Whoosh's own.

The evaluator reads the positions of a phrase's words only in documents holding every word
and checks them with numpy; Whoosh walks its span matchers one document at a time. On an
index built to be awkward (many segments, posting lists of several blocks, deletions,
repeated words, stop words inside phrases, phrases across paragraphs and across the
headline and body in the combined text field) both must find the same documents, and
`Archive.search` must give Whoosh's totals and hits.
"""

from __future__ import annotations

import itertools
import random

import pytest

VOCAB = ["storm", "bank", "england", "interest", "rates", "new", "york", "the", "of",
         "council", "river", "flood"]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n)).capitalize() + "."


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory):
    """About 700 articles of a small vocabulary in 5 segments, some deleted."""
    from morgue.indexer.article import Article, Caption
    from morgue.indexer.documents import VOCABULARY_KEY, to_document
    from morgue.indexer.store import open_or_create
    from morgue.indexer.whoosh_internals import ArticleWriter
    from morgue.search import Archive

    rng = random.Random(7)
    index_dir = tmp_path_factory.mktemp("phrases") / "index"
    ix = open_or_create(index_dir)
    fixed = [  # the cases named in the module docstring, placed in every segment
        Article(headline="Bank of England holds", body="Rates of interest stay.\n\nBank England."),
        Article(headline="New new york", body="York new york new.\n\nVery very very good."),
        Article(headline="Storm warning", body="The river rose after the interest\n\nrates rose."),
        Article(headline="Flood damage", body="Damage flood river council.",
                captions=[Caption("Storm surge at the river", "AP")]),
        Article(headline="Rates", body="Interest rates interest rates interest rates."),
    ]
    n = 0
    for segment in range(5):
        writer = ArticleWriter(ix)
        articles = list(fixed)
        for _ in range(140):
            paras = [_sentence(rng, rng.randint(3, 40)) for _ in range(rng.randint(1, 4))]
            articles.append(Article(headline=_sentence(rng, rng.randint(2, 6)),
                                    body="\n\n".join(paras)))
        for article in articles:
            doc = to_document(article, key=f"a{n}", content_hash=str(n))
            doc.pop(VOCABULARY_KEY)
            writer.add_document(**doc)
            n += 1
        writer.commit(merge=False)
    writer = ArticleWriter(ix)
    for k in range(3, n, 37):
        writer.delete_by_term("key", f"a{k}")
    writer.commit(merge=False)
    archive = Archive(index_dir, cache_size=0)
    assert archive.stats().segments >= 5
    yield archive
    archive.close()


def _phrases() -> list[str]:
    words = ["storm", "bank", "england", "interest", "rates", "new", "york", "river", "flood",
             "damage", "very"]
    two = [f'"{a} {b}"' for a, b in itertools.product(words, repeat=2)]
    rng = random.Random(3)
    three = [f'"{a} {b} {c}"' for a, b, c in rng.sample(list(itertools.product(words, repeat=3)), 60)]
    tricky = ['"bank of england"', '"rates of interest"', '"new new york"', '"york new york"',
              '"very very very"', '"interest rates interest"', '"the river"',
              '"england holds rates"', '"holds rates"', '"stay bank"', '"rose rates"',
              'headline:"new york"', 'headline:"bank of england"', 'caption:"storm surge"',
              '"surge at the river"', '"storm surge"', '"flood damage flood"',
              '"bank england" river', '"interest rates" -storm', '"york new" OR "new york"']
    return two + three + tricky


def test_the_positions_in_whole_lists_are_read_in_several_blocks(awkward):
    from morgue.indexer.whoosh_internals import read_positions

    reader = awkward._searcher().reader()
    docs = awkward._generation(awkward._searcher())[1].postings(reader, "text", b"river")[0]
    assert len(docs) > 400  # several blocks of 128 postings in each segment
    d, p = read_positions(reader, "text", b"river", docs.astype("int64"))
    assert set(d.tolist()) == set(docs.tolist())
    whoosh = reader.postings("text", b"river")
    by_whoosh = sorted((doc, pos) for doc, value in whoosh.items_as("positions") for pos in value)
    assert sorted(zip(d.tolist(), p.tolist())) == by_whoosh


@pytest.mark.parametrize("query", _phrases())
def test_phrase_matches_are_whooshs(awkward, query):
    from morgue.search.evaluator import Evaluator
    from morgue.search.querylang import parse

    searcher = awkward._searcher()
    parsed = parse(query, searcher.schema)
    reader = searcher.reader()
    theirs = {d for d in parsed.query.docs(searcher) if not reader.is_deleted(d)}
    mine = Evaluator(searcher, awkward._generation(searcher)[1]).matches(parsed.query, scored=False)
    assert set(mine.docs.tolist()) == theirs, query


@pytest.mark.parametrize("query", ['"bank of england"', '"interest rates"', '"new york"',
                                   '"river flood"', '"storm surge"', '"very very"',
                                   '"interest rates interest"', '"flood river council"'])
def test_phrase_searches_give_whooshs_totals_and_hits(awkward, query):
    from morgue.search.querylang import parse

    searcher = awkward._searcher()
    parsed = parse(query, searcher.schema)
    whoosh = searcher.search(parsed.query, limit=None, scored=True)
    reader = searcher.reader()
    live = [r for r in whoosh if not reader.is_deleted(r.docnum)]
    results = awkward.search(query, page_size=10, collapse_duplicates=False)
    assert results.total == len(live) > 0, query
    scores = {r.docnum: r.score for r in live}
    ours = [searcher.document_number(id=h.id) for h in results.hits]
    assert len(ours) == min(10, len(live))
    for docnum, hit in zip(ours, results.hits):
        assert docnum in scores and hit.score == pytest.approx(scores[docnum], abs=1e-4)
    best = sorted(scores.values(), reverse=True)[: len(ours)]
    assert [h.score for h in results.hits] == pytest.approx(best, abs=1e-4)

