"""Fuzzy terms (`word~`) match the archive's words as typed, and every count agrees with its hits."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from morgue.indexer.manifest import read_vocabulary
from morgue.search.request import SORTS
from morgue.search.fuzzy import auto_edits, words_within


def words_of(results):
    return sorted({t for h in results.hits for t in h.terms})


@pytest.mark.parametrize("typed, word", [
    ("drouhgt~", "drought"),      # a swapped pair of letters
    ("brigde~", "bridge"),
    ("flodo~", "flood"),
    ("irrigaton~", "irrigation"),  # a dropped letter in a long word
    ("irrigatoin~", "irrigation"),
    ("corossion~", "corrosion"),   # two edits in a long word: found; "cross" is not a near word
])
def test_issue_typos_find_the_word_under_every_sort(corpus_archive, typed, word):
    plain = corpus_archive.search(word, page_size=100)
    assert plain.total > 0
    for sort in SORTS:
        fuzzy = corpus_archive.search(typed, sort=sort, page_size=100)
        assert fuzzy.total >= 1 and len(fuzzy.hits) == fuzzy.total, (typed, sort)
        # every article with the word is found, ...
        assert {h.id for h in plain.hits} <= {h.id for h in fuzzy.hits}
    # ... and the word itself leads the ranking
    assert corpus_archive.search(typed).hits[0].id in {h.id for h in plain.hits}


def test_corossion_no_longer_matches_cross(corpus_archive):
    results = corpus_archive.search("corossion~", page_size=100)
    assert "cross" not in words_of(results)
    assert words_of(results) == ["corros"]


def test_edit_allowance_follows_the_word_length_unless_given():
    assert [auto_edits(w) for w in ("at", "ice", "flood", "bridge", "irrigation")] == [0, 1, 1, 2, 2]


def test_words_within_counts_a_swap_as_one_edit_and_keeps_the_first_letter():
    words = sorted(["bridge", "bride", "fridge", "ridge", "bridges", "brief"])
    counts = {"bridge": 10, "bride": 1, "bridges": 3}
    # "bridge" (swap) and "bride" (drop the g) are one edit away; the more used comes first
    assert words_within(words, counts, "brigde", 1) == [("bridge", 1), ("bride", 1)]
    found = words_within(words, counts, "brigde", 2)
    assert found[0] == ("bridge", 1)
    assert "fridge" not in [w for w, _ in found]  # the first letter must match
    assert words_within(words, counts, "bridge", 0) == [("bridge", 0)]


def test_explicit_distance_is_honoured(corpus_archive):
    assert corpus_archive.search("corossion~1").total == 0
    assert corpus_archive.search("corossion~2").total >= 1
    assert corpus_archive.search("irrigaton~0").total == 0


def test_fuzzy_in_a_field_searches_that_field(corpus_archive):
    everywhere = corpus_archive.search("brigde~", page_size=100)
    headline = corpus_archive.search("headline:brigde~", page_size=100)
    assert 0 < headline.total < everywhere.total
    assert all("bridg" in h.headline.lower() for h in headline.hits)


# -- totals agree with hits --------------------------------------------------------------


def all_pages(archive, query, sort, page_size=7):
    first = archive.search(query, sort=sort, page_size=page_size, facets=False)
    assert not first.partial
    hits = list(first.hits)
    for page in range(2, first.pages + 1):
        hits += archive.search(query, sort=sort, page=page, page_size=page_size, facets=False).hits
    return first, hits


def assert_totals_agree(archive, query):
    totals = {}
    for sort in SORTS:
        first, hits = all_pages(archive, query, sort)
        ids = [h.id for h in hits]
        assert len(ids) == len(set(ids)), (query, sort, "a hit on two pages")
        assert len(ids) == first.total, (query, sort, first.total, len(ids))
        assert first.pages == (math.ceil(first.total / 7) if first.total else 0), (query, sort)
        # a wire story's copies are one hit, led by a different copy under each sort
        totals[sort] = (first.total, {i for h in hits for i in (h.id, *h.copy_ids)})
    assert len({t for t, _ in totals.values()}) == 1, (query, totals)
    assert len({frozenset(i) for _, i in totals.values()}) == 1, (query, "sorts differ in what they find")


ISSUE_QUERIES = [
    "drouhgt~", "brigde~", "flodo~", "irrigaton~", "irrigatoin~", "corossion~", "drought~2",
    "bridg*", "fl??d", "irrig*", '"old mill bridge"', '"river flood"~5', "bridge NOT flood",
    "bridge -repairs", "NOT bridge", "flood OR drought", "headline:flood~ -river",
    "(drougt~ OR flodo~) AND date:>=2010", "date:[2015 TO *]", "council date:<2012",
]


@pytest.fixture(scope="module")
def patient_archive(corpus_archive):
    """The corpus with a time limit no loaded machine reaches: a partial search would (rightly)
    report fewer hits than a complete one, which is not what these tests are about."""
    from morgue.search import Archive

    return Archive(corpus_archive.path, time_limit=120)


@pytest.mark.parametrize("query", ISSUE_QUERIES)
def test_totals_agree_with_hits(patient_archive, query):
    assert_totals_agree(patient_archive, query)


@pytest.fixture(scope="module")
def corpus_words(corpus_archive):
    words = sorted(w for w, n in read_vocabulary(corpus_archive.path).items() if len(w) >= 4 and n >= 2)
    assert len(words) > 200
    return words


def _typo(word: str, i: int, kind: int) -> str:
    i = 1 + i % (len(word) - 2)
    if kind == 0:  # swap two neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:  # drop a letter
        return word[:i] + word[i + 1:]
    return word[:i] + "e" + word[i:]  # add one


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_totals_agree_with_hits_property(patient_archive, corpus_words, data):
    pick = lambda: data.draw(st.sampled_from(corpus_words))  # noqa: E731
    word, other = pick(), pick()
    shape = data.draw(st.sampled_from(["fuzzy", "wildcard", "phrase", "not", "mixed"]))
    if shape == "fuzzy":
        query = _typo(word, data.draw(st.integers(0, 20)), data.draw(st.integers(0, 2))) + "~"
    elif shape == "wildcard":
        query = word[: data.draw(st.integers(2, 4))] + data.draw(st.sampled_from(["*", "?*", "*e"]))
    elif shape == "phrase":
        query = f'"{word} {other}"' + data.draw(st.sampled_from(["", "~3", "~20"]))
    elif shape == "not":
        query = data.draw(st.sampled_from([f"{word} NOT {other}", f"{word} -{other}", f"NOT {word}"]))
    else:
        query = f"{_typo(word, 3, 0)}~ OR {other[:3]}* -{pick()}"
    assert_totals_agree(patient_archive, query)


# -- wildcards inside a word match words too -----------------------------------------------


@pytest.mark.parametrize("pattern, word", [("br?dge", "bridge"), ("fl??d", "flood"), ("dr?ught", "drought"),
                                           ("irr*tion", "irrigation"), ("headline:br?dge", "headline:bridge")])
def test_a_wildcard_inside_a_word_finds_the_word(corpus_archive, pattern, word):
    plain = corpus_archive.search(word, page_size=100)
    found = corpus_archive.search(pattern, page_size=100)
    assert plain.total > 0 and found.notice is None
    assert {h.id for h in plain.hits} <= {h.id for h in found.hits}
    assert len(found.hits) == found.total


def test_a_question_mark_is_exactly_one_letter(corpus_archive):
    from morgue.search.fuzzy import words_matching

    words = sorted(["flood", "fluid", "fled", "floods", "flooded", "blood"])
    assert words_matching(words, {"flood": 5}, "fl??d") == [("flood", 0), ("fluid", 0)]
    assert words_matching(words, {}, "fl*d") == [("fled", 0), ("flood", 0), ("flooded", 0), ("fluid", 0)]
    # "fl??d" no longer loses its last letter ("fl??" found flag, flat, fled, flew)
    assert "flag" not in words_of(corpus_archive.search("fl??d", page_size=100))


def test_a_trailing_star_is_still_a_prefix_of_the_index_terms(corpus_archive):
    assert words_of(corpus_archive.search("irrig*", page_size=100)) == ["irrig", "irrigat"]
