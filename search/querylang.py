"""The query language: user text → a Whoosh query plus date filters.

See docs/query-language.md. Parsing never fails: text that cannot be read as written
falls back to its plain words, and `ParsedQuery.notice` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from whoosh import qparser, query as wq
from whoosh.fields import Schema

from morgue.indexer.schema import FIELD_BOOSTS, TEXT_FIELDS
from morgue.search.dates import parse_bound

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

#: Extra weight of the all-words reading of a plain query (0 turns it off).
ALL_WORDS_BOOST = 1.0
MAX_TERMS = 64  # a query expanding to more terms than this is cut down
MIN_WILDCARD_PREFIX = 2  # `ab*` is allowed, `a*` and `*a*` are not

_DATE_CLAUSE = re.compile(r'(?<![\w"])date:(\[[^\]]*\]|[<>]=?[\d-]+|[\d-]+)', re.IGNORECASE)
_FIELD = re.compile(r'(?<![\w"])([A-Za-z]+):(?=\S)')
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_OPERATOR = re.compile(r"(?:^|\s)(AND|OR|NOT)(?:\s|$)")


@dataclass
class ParsedQuery:
    """What a query string means."""

    query: wq.Query | None  # None: every article
    date_from: datetime | None = None
    date_to: datetime | None = None
    notice: str | None = None
    words: list[str] = field(default_factory=list)  # plain words, for did-you-mean
    text: str = ""  # the query with date clauses taken out


class QueryError(ValueError):
    """Raised internally when text cannot be read as written; never leaves this module."""


def parse(text: str, schema: Schema, *, lang_fields: tuple[str, ...] = ()) -> ParsedQuery:
    """Read `text`; `lang_fields` are the `text_<lang>` fields worth searching too."""
    text = (text or "").strip()
    notices: list[str] = []
    date_from, date_to, text = _take_dates(text, notices)
    # "shake-ups", "no-confidence": a hyphen inside a word joins words, it is not a NOT
    # (the index splits such words the same way).
    text = _INNER_HYPHEN.sub(" ", text)
    text = _FIELD.sub(lambda m: _alias(m, notices), text)
    words = re.findall(r"\w+", _FIELD.sub("", text.replace("*", " ")))
    if not text:
        return ParsedQuery(None, date_from, date_to, _join(notices), words, text)
    fields = list(TEXT_FIELDS) + list(lang_fields)
    try:
        _check_balanced(text)
        q = _parse(text, schema, fields, notices)
    except QueryError as exc:
        # Operator words become plain words (lower case), and long lists are cut.
        plain = " ".join(w.lower() if w in ("AND", "OR", "NOT") else w for w in words[:MAX_TERMS])
        notices.append(f"{exc}; searched for the words {plain!r} instead")
        try:
            q = _parse(plain, schema, fields, notices) if plain else wq.NullQuery
        except QueryError:
            q = wq.NullQuery
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        q = wq.NullQuery
    return ParsedQuery(q, date_from, date_to, _join(notices), words, text)


def _parse(text: str, schema: Schema, fields: list[str], notices: list[str]) -> wq.Query:
    boosts = {f: FIELD_BOOSTS.get(f, 0.7) for f in fields}
    explicit = bool(_OPERATOR.search(text))

    def parser(group: type) -> qparser.QueryParser:
        p = qparser.MultifieldParser(fields, schema, fieldboosts=boosts, group=group)
        p.add_plugin(qparser.PlusMinusPlugin())
        p.add_plugin(qparser.FuzzyTermPlugin())
        p.remove_plugin_class(qparser.BoostPlugin)  # `^` is rarely meant as a boost in news text
        return p

    try:
        all_words = _tame(parser(qparser.AndGroup).parse(text), notices)
        if explicit:
            return all_words
        any_word = _tame(parser(qparser.OrGroup).parse(text), notices)
    except QueryError:
        raise
    except Exception as exc:  # Whoosh's parser errors are not one class
        raise QueryError(f"the query could not be read ({type(exc).__name__})") from exc
    parts = [any_word]
    if all_words != any_word and ALL_WORDS_BOOST:
        # Articles with every word first; a long pasted sentence still finds partial matches.
        parts.append(all_words.with_boost(ALL_WORDS_BOOST))
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _tame(q: wq.Query, notices: list[str]) -> wq.Query:
    """Replace costly pieces: short-prefix wildcards become plain words; huge queries shrink."""

    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, (wq.Wildcard, wq.Prefix)):
            text = node.text
            literal = re.split(r"[*?]", text)[0]
            if len(literal) < MIN_WILDCARD_PREFIX:
                stripped = text.replace("*", "").replace("?", "")
                notices.append(
                    f"wildcards need {MIN_WILDCARD_PREFIX} letters before the * "
                    f"({text!r} searched as {stripped!r})"
                )
                return wq.Term(node.fieldname, stripped) if stripped else wq.NullQuery
        if isinstance(node, wq.FuzzyTerm):
            node.maxdist = min(node.maxdist, 2)
            node.prefixlength = max(node.prefixlength, 1)
        return node.apply(visit) if node.is_leaf() is False else node

    q = visit(q)
    terms = list(q.iter_all_terms()) if hasattr(q, "iter_all_terms") else []
    if len(terms) > MAX_TERMS * len(TEXT_FIELDS):
        raise QueryError(f"the query has too many terms (at most {MAX_TERMS} words)")
    return q.normalize()


def _take_dates(text: str, notices: list[str]) -> tuple[datetime | None, datetime | None, str]:
    lo: datetime | None = None
    hi: datetime | None = None

    def one(match: re.Match[str]) -> str:
        nonlocal lo, hi
        value = match.group(1)
        try:
            start, end = _date_clause(value)
        except (ValueError, OverflowError) as exc:
            notices.append(f"date:{value} ignored: {exc}")
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
    notices.append(f"unknown field {match.group(1)!r} searched as a word")
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
