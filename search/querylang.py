"""The query language: user text → a Whoosh query plus date filters.

See docs/query-language.md. Parsing never fails: text that cannot be read as written
falls back to its plain words, and `ParsedQuery.notice` says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from whoosh import qparser, query as wq
from whoosh.fields import Schema

from morgue.indexer.schema import FIELD_BOOSTS, TEXT_FIELDS
from morgue.search import scoring
from morgue.search.dates import parse_bound
from morgue.search.fuzzy import FuzzyPlugin, WildcardPlugin

#: Friendly names users may type before a colon, and the field each one searches.
FIELD_ALIASES = {
    "title": "headline",
    "headline": "headline",
    "standfirst": "standfirst",
    "body": "text",  # the article's text; headline: and caption: narrow it down
    "text": "text",
    "caption": "captions",
    "captions": "captions",
    "credit": "credits",  # photographers and agencies credited under the photos
    "credits": "credits",
    "byline": "byline",
    "author": "byline",
    "by": "byline",
    "section": "section",
    "source": "source",
    "tag": "tags",
    "tags": "tags",
}

#: Extra weight of an all-words reading of a plain query (0 turns it off). Off: plain BM25,
#: whose sum over the words already ranks articles with more of them higher; the extra
#: reading measured no better on TIME nor on the BBC and Reuters known-item sets
#: (`python -m bench.relevance`, docs/benchmarks.md), and doubled a long question's work.
ALL_WORDS_BOOST = 0.0
#: Distinct words a query is searched with; a longer question is searched with its first
#: `MAX_TERMS` words (and a notice says so). Long questions are bounded by the query time
#: limit, not refused.
MAX_TERMS = 1024
#: Longer queries are read as plain words: Whoosh's parser takes seconds over a pasted page,
#: and quotation marks and brackets in pasted prose are punctuation, not query syntax.
MAX_SYNTAX_WORDS = 100
MIN_WILDCARD_PREFIX = 2  # `ab*` is allowed, `a*` and `*a*` are not

_DATE_CLAUSE = re.compile(r'(?<![\w"])date:(\[[^\]]*\]|[<>]=?[\d-]+|[\d-]+)', re.IGNORECASE)
_FIELD = re.compile(r'(?<![\w"])([A-Za-z]+):(?=\S)')
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_OPERATOR = re.compile(r"(?:^|\s)(AND|OR|NOT)(?:\s|$)")
_SYNTAX = re.compile(r'["()\[\]{}*?~^:]|(?:^|\s)[+-]\S')
_WORD = re.compile(r"\w+(?:\.?\w+)*")  # a word as the analysers' tokenizer reads it


@dataclass
class ParsedQuery:
    """What a query string means."""

    query: wq.Query | None  # None: every article
    date_from: datetime | None = None
    date_to: datetime | None = None
    notice: str | None = None
    words: list[str] = field(default_factory=list)  # plain words, for did-you-mean
    text: str = ""  # the query with date clauses taken out
    error: str | None = None  # why the query cannot be answered as written (a bad date)


class QueryError(ValueError):
    """Raised internally when text cannot be read as written; never leaves this module."""


def parse(text: str, schema: Schema, *, lang_fields: tuple[str, ...] = ()) -> ParsedQuery:
    """Read `text`; `lang_fields` are the `text_<lang>` fields worth searching too."""
    text = (text or "").strip()
    notices: list[str] = []
    errors: list[str] = []
    date_from, date_to, text = _take_dates(text, errors)
    # "shake-ups", "no-confidence": a hyphen inside a word joins words, it is not a NOT
    # (the index splits such words the same way).
    text = _INNER_HYPHEN.sub(" ", text)
    text = _FIELD.sub(lambda m: _alias(m, notices), text)
    words = re.findall(r"\w+", _FIELD.sub("", text.replace("*", " ")))
    error = _join(errors)
    if not text:
        return ParsedQuery(None, date_from, date_to, _join(notices), words, text, error)
    fields = list(TEXT_FIELDS) + list(lang_fields)
    syntax = _SYNTAX.search(text) or _OPERATOR.search(text)
    try:
        if not syntax:
            q = _plain(text, schema, fields, notices)
        elif len(words) > MAX_SYNTAX_WORDS:
            notices.append(f"a query of more than {MAX_SYNTAX_WORDS} words is searched as plain "
                           "words (its quotation marks, brackets and operators are not used)")
            q = _plain(" ".join(words), schema, fields, notices)
        else:
            _check_balanced(text)
            q = _parse(text, schema, fields, notices)
    except QueryError as exc:
        # Operator words become plain words (lower case), and long lists are cut.
        plain = " ".join(w.lower() if w in ("AND", "OR", "NOT") else w for w in words[:MAX_TERMS])
        if plain:
            shown = plain if len(plain) <= 80 else plain[:80].rsplit(" ", 1)[0] + " …"
            notices.append(f"{exc}; searched for {_quoted(shown)} instead")
        else:
            notices.append(f"{exc}, and there are no words to search for")
        try:
            q = _parse(plain, schema, fields, notices) if plain else wq.NullQuery
        except QueryError:
            q = wq.NullQuery
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        q = wq.NullQuery
        common = [w for w in dict.fromkeys(words) if _is_stop_word(w, schema)]
        if words and len(common) == len(dict.fromkeys(words)):
            shown = ", ".join(_quoted(w) for w in common)
            notices.append(f"{shown} {'is' if len(common) == 1 else 'are'} too common to search "
                           "for (such words are left out of the index); add a word that says "
                           "what the articles are about")
    return ParsedQuery(q, date_from, date_to, _join(notices), words, text, error)


def _is_stop_word(word: str, schema: Schema) -> bool:
    """True when the combined text field keeps nothing of `word` (a stop word)."""
    analyzer = schema["text"].analyzer
    return not any(True for _ in analyzer(word)) and any(
        True for _ in analyzer(word, removestops=False))


def _quoted(text: str) -> str:
    """Text quoted for a notice, “like this”."""
    return f"\u201c{text}\u201d"


def _plain(text: str, schema: Schema, fields: list[str], notices: list[str]) -> wq.Query:
    """A query of plain words, built without Whoosh's parser and in linear time: what the
    parser builds for them, already normalised. Each word is searched in every field, any
    word matching, all words weighing more; repeated terms weigh as `scoring.qtf_weight`
    says; at most `MAX_TERMS` different words."""
    boosts = {f: FIELD_BOOSTS.get(f, 0.7) for f in fields}
    analyzers = [(f, schema[f].analyzer, boosts[f]) for f in fields if f in schema]
    groups: dict[str, tuple[tuple[str, str, float], ...]] = {}
    term_counts: Counter[tuple[str, str, float]] = Counter()
    group_counts: Counter[tuple[tuple[str, str, float], ...]] = Counter()
    for match in _WORD.finditer(text):
        word = match.group()
        group = groups.get(word)
        if group is None:
            if len(groups) == MAX_TERMS:
                notices.append(f"the query has more than {MAX_TERMS} different words; "
                               f"it was searched with its first {MAX_TERMS}")
                break
            group = groups[word] = tuple(dict.fromkeys(
                (f, t.text, b) for f, analyzer, b in analyzers for t in analyzer(word, mode="query")))
        if group:
            term_counts.update(group)
            group_counts[group] += 1
    if not term_counts:
        return wq.NullQuery
    weight = scoring.qtf_weight
    any_word = wq.Or([wq.Term(f, t, boost=b * weight(n)) for (f, t, b), n in term_counts.items()])
    if len(group_counts) < 2 or not ALL_WORDS_BOOST:
        return any_word.normalize()
    all_words = wq.And([
        wq.Or([wq.Term(f, t, boost=b) for f, t, b in group], boost=weight(n)) if len(group) > 1
        else wq.Term(group[0][0], group[0][1], boost=group[0][2] * weight(n))
        for group, n in group_counts.items()], boost=ALL_WORDS_BOOST)
    return wq.Or([any_word, all_words])


def _parse(text: str, schema: Schema, fields: list[str], notices: list[str]) -> wq.Query:
    boosts = {f: FIELD_BOOSTS.get(f, 0.7) for f in fields}
    explicit = bool(_OPERATOR.search(text))

    def parser(group: type) -> qparser.QueryParser:
        p = qparser.MultifieldParser(fields, schema, fieldboosts=boosts, group=group)
        p.add_plugin(qparser.PlusMinusPlugin())
        p.add_plugin(FuzzyPlugin())  # `word~`: see search/fuzzy.py
        p.remove_plugin_class(qparser.WildcardPlugin)
        p.add_plugin(WildcardPlugin())  # `dr?ught`: see search/fuzzy.py
        p.remove_plugin_class(qparser.BoostPlugin)  # `^` is rarely meant as a boost in news text
        return p

    try:
        all_words = _tame(parser(qparser.AndGroup).parse(text, normalize=False), notices)
        if explicit:
            return all_words
        any_word = _tame(parser(qparser.OrGroup).parse(text, normalize=False), notices)
    except QueryError:
        raise
    except Exception as exc:  # Whoosh's parser errors are not one class
        raise QueryError(f"the query could not be read ({type(exc).__name__})") from exc
    parts = [any_word]
    if all_words != any_word and ALL_WORDS_BOOST and all_words is not wq.NullQuery:
        # Articles with every word first; a long pasted sentence still finds partial matches.
        parts.append(all_words.with_boost(ALL_WORDS_BOOST))
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _tame(q: wq.Query, notices: list[str]) -> wq.Query:
    """Make a parsed (not yet normalised) query what it means, and affordable.

    Short-prefix wildcards become plain words; a group of only negated words (`-bridge`)
    means NOT those words; repeated words weigh as BM25's query-term frequency says; a
    query with more than `MAX_TERMS` distinct words raises `QueryError`.
    """

    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, (wq.Wildcard, wq.Prefix)):
            text = node.text
            literal = re.split(r"[*?]", text)[0]
            if len(literal) < MIN_WILDCARD_PREFIX:
                stripped = text.replace("*", "").replace("?", "")
                if isinstance(node, wq.Prefix):
                    text += "*"
                notices.append(
                    f"wildcards need {MIN_WILDCARD_PREFIX} letters before the * "
                    f"({_quoted(text)} was searched as {_quoted(stripped) if stripped else 'nothing'})"
                )
                return wq.Term(node.fieldname, stripped) if stripped else wq.NullQuery
        if isinstance(node, wq.FuzzyTerm):
            node.maxdist = min(node.maxdist, 2)
            node.prefixlength = max(node.prefixlength, 1)
        if isinstance(node, wq.AndNot) and node.a.normalize() is wq.NullQuery:
            # `-bridge` with nothing beside it: every article without the word, as NOT does.
            return wq.Not(visit(node.b))
        return node.apply(visit) if node.is_leaf() is False else node

    q = _weigh_repeats(visit(q)).normalize()
    terms = set(q.iter_all_terms()) if hasattr(q, "iter_all_terms") else set()
    fields = {f for f, _ in terms} or {""}
    if len(terms) > MAX_TERMS * len(fields):
        raise QueryError(f"the query has more than {MAX_TERMS} different words")
    return q


def _weigh_repeats(node: wq.Query) -> wq.Query:
    """Merge repeated parts of an OR or AND, boosting each by `scoring.qtf_weight` of its count.

    Whoosh's normalisation drops repeats, so a word written three times in a question would
    count once; BM25 weighs a query term by its frequency in the query (Okapi's qtf).
    Repeats are counted after analysis: "flood floods" repeats the term `flood`.
    """
    kind = type(node)
    if kind not in (wq.Or, wq.And):
        return node.apply(_weigh_repeats) if node.is_leaf() is False else node
    flat: list[wq.Query] = []

    def gather(group: wq.Query, factor: float) -> None:
        for sub in group.subqueries:
            if type(sub) is kind:
                gather(sub, factor * sub.boost)
            else:
                sub = _weigh_repeats(sub).normalize()
                flat.append(sub.with_boost(sub.boost * factor) if factor != 1.0 else sub)

    gather(node, 1.0)
    counts = Counter(flat)
    merged = [sub if counts[sub] == 1 else sub.with_boost(sub.boost * scoring.qtf_weight(counts[sub]))
              for sub in dict.fromkeys(flat)]
    return kind(merged, boost=node.boost)


def _take_dates(text: str, notices: list[str]) -> tuple[datetime | None, datetime | None, str]:
    lo: datetime | None = None
    hi: datetime | None = None

    def one(match: re.Match[str]) -> str:
        nonlocal lo, hi
        value = match.group(1)
        try:
            start, end = _date_clause(value)
        except (ValueError, OverflowError) as exc:
            notices.append(f"has {_quoted('date:' + value)}, which is not a date the archive "
                           f"can search ({exc}); use date:YYYY, date:YYYY-MM, date:YYYY-MM-DD "
                           "or a range such as date:[2019 TO 2021-06]")
            return " "
        if start and (lo is None or start > lo):
            lo = start
        if end and (hi is None or end < hi):
            hi = end
        return " "

    text = _DATE_CLAUSE.sub(one, text)
    return lo, hi, re.sub(r"\s+", " ", text).strip()


def _date_clause(value: str) -> tuple[datetime | None, datetime | None]:
    if value.startswith("["):
        inner = value.strip("[]").strip()
        parts = re.split(r"\s+TO\s+", inner, flags=re.IGNORECASE)
        if len(parts) != 2:
            raise ValueError("use date:[FROM TO TO]")
        a, b = (p.strip() for p in parts)
        return (
            parse_bound(a, end=False) if a not in ("", "*") else None,
            parse_bound(b, end=True) if b not in ("", "*") else None,
        )
    for op in (">=", "<=", ">", "<"):
        if value.startswith(op):
            rest = value[len(op):]
            if op == ">=":
                return parse_bound(rest, end=False), None
            if op == ">":
                return parse_bound(rest, end=True) + timedelta(seconds=1), None
            if op == "<=":
                return None, parse_bound(rest, end=True)
            return None, parse_bound(rest, end=False) - timedelta(seconds=1)
    return parse_bound(value, end=False), parse_bound(value, end=True)


def _alias(match: re.Match[str], notices: list[str]) -> str:
    name = match.group(1).lower()
    if name in FIELD_ALIASES:
        return FIELD_ALIASES[name] + ":"
    if name in ("http", "https", "mailto"):
        return match.group(0)
    notices.append(f"there is no field {_quoted(match.group(1) + ':')}; "
                   f"{_quoted(match.group(1))} was searched as a word")
    return match.group(1) + " "


def _check_balanced(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError("a quotation mark is not closed")
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            raise QueryError("a closing parenthesis has no opening one")
        if depth > 20:
            raise QueryError("parentheses are nested too deeply")
    if depth:
        raise QueryError("a parenthesis is not closed")
    if re.search(r"(^|\s)(AND|OR|NOT)\s*$", text) or re.match(r"^\s*(AND|OR)\s", text):
        raise QueryError("an AND/OR/NOT has nothing on one side")


def _join(notices: list[str]) -> str | None:
    return "; ".join(dict.fromkeys(notices)) if notices else None
