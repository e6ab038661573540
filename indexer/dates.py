"""Dates as pages write them, turned into ISO 8601 strings at the page's own precision.

* ``2008-03-04`` — the page gives a day only;
* ``2022-01-13T09:14:00`` — a time but no zone;
* ``2022-01-13T09:14:00+04:00`` — time and zone.

Machine dates (JSON-LD, meta, ``<time datetime>``) go through a fast ISO/RFC 2822 reader;
visible date lines ("Updated: January 13, 2022, 9:14 AM", "13. März 2019", "Publié le 4 mars
2008") through a small regex reader for the common shapes and `dateparser` (maintained, many
languages) for the rest; relative dates ("3 hours ago", "yesterday") are resolved against the
page's capture time, and only when it is known.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_tz

#: Dates outside this range are rejected as noise (copyright years, birth dates, typos).
#: Machine-readable dates (JSON-LD, meta, <time datetime>) are trusted back to
#: MIN_MACHINE_YEAR, so digitised archives of old papers keep their dates; dates read
#: from visible text or URLs must be from MIN_YEAR on.
MIN_YEAR = 1950
MIN_MACHINE_YEAR = 1700
MAX_YEAR = 2035

_ISO = re.compile(
    r"""^\s*(\d{4})-?(\d{2})-?(\d{2})
        (?:[T\s_]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*
           (Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?""",
    re.VERBOSE | re.IGNORECASE,
)
_SLASHED_YMD = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12, "okt": 10, "dez": 12, "mär": 3,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "janv": 1, "févr": 2, "avr": 4, "juil": 7,
    # Spanish / Italian / Portuguese (common)
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "settembre": 9, "ottobre": 10, "dicembre": 12,
}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_TIME_RE = r"(?:\s*(?:,|at|um|à|a las|-|–|\|)?\s*(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*([ap]\.?\s?m\.?)?(?:\s*(?:Uhr|h))?(?:\s*\(?(UTC|GMT|Z|[+-]\d{2}:?\d{2}|[ECMP][SD]T|BST|CET|CEST)\)?)?)?"
# "January 13, 2022, 9:14 AM" / "Jan. 13 2022"
_MDY = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b{_TIME_RE}", re.IGNORECASE
)
# "13 January 2022", "13. März 2019", "4 mars 2008", "13 de enero de 2022"
_DMY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s*(?:de\s+)?({_MONTH_RE})\.?,?\s*(?:de\s+)?(\d{{4}})\b{_TIME_RE}",
    re.IGNORECASE,
)
# "13.01.2022", "13/01/2022" (day first outside the US), "01/13/2022" when unambiguous
_NUMERIC = re.compile(rf"\b(\d{{1,2}})([./-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})(?![\d/.-]\d){_TIME_RE}", re.I)
_YMD_TEXT = re.compile(rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b{_TIME_RE}", re.I)
_YMD_SLASH = re.compile(rf"\b(\d{{4}})/(\d{{1,2}})/(\d{{1,2}})\b{_TIME_RE}", re.I)

_TZ_ABBR = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 60, "CET": 60, "CEST": 120, "EST": -300, "EDT": -240,
    "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
}

_RELATIVE = re.compile(
    r"\b(\d+|an?|one)\s+(second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b"
    r"|\bvor\s+(\d+|einer|einem|eine)\s+(Sekunde|Minute|Stunde|Tag|Woche|Monat|Jahr)(?:n|en|e)?\b"
    r"|\bil y a\s+(\d+|une?)\s+(seconde|minute|heure|jour|semaine|mois|an)s?\b",
    re.IGNORECASE,
)
_UNIT_SECONDS = {
    "second": 1, "sekunde": 1, "seconde": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600,
    "stunde": 3600, "heure": 3600, "day": 86400, "tag": 86400, "jour": 86400,
    "week": 604800, "woche": 604800, "semaine": 604800, "month": 2592000, "monat": 2592000,
    "mois": 2592000, "year": 31536000, "jahr": 31536000, "an": 31536000,
}


def _valid(y: int, m: int, d: int, lo: int = MIN_YEAR) -> date | None:
    if not (lo <= y <= MAX_YEAR):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _offset(tz: str | None) -> timezone | None:
    if not tz:
        return None
    tz = tz.strip().upper()
    if tz in _TZ_ABBR:
        return timezone(timedelta(minutes=_TZ_ABBR[tz]))
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", tz)
    if not m:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))


def fmt(d: date, hh: int | None = None, mm: int = 0, ss: int = 0, tz: timezone | None = None) -> str:
    """ISO string at the given precision."""
    if hh is None:
        return d.isoformat()
    dt = datetime(d.year, d.month, d.day, hh, mm, ss, tzinfo=tz)
    return dt.isoformat()


def _with_time(d: date, hh, mm, ss, ampm, tz) -> str | None:
    if hh is None:
        return d.isoformat()
    h, mi, s = int(hh), int(mm), int(ss or 0)
    if ampm:
        a = ampm.lower().replace(".", "").replace(" ", "")
        if a == "pm" and h < 12:
            h += 12
        elif a == "am" and h == 12:
            h = 0
    if h > 23 or mi > 59 or s > 59:
        return d.isoformat()
    return fmt(d, h, mi, s, _offset(tz))


def parse_iso(value: str | None) -> str | None:
    """An ISO-like machine date ("2008-03-04T10:00:00Z", "20080304", RFC 2822...) → ISO string."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if not value:
        return None
    m = _ISO.match(value)
    if m:
        y, mo, d, hh, mi, ss, tz = m.groups()
        day = _valid(int(y), int(mo), int(d), MIN_MACHINE_YEAR)
        if day is None:
            return None
        if hh is None:
            return day.isoformat()
        h, mnt, s = int(hh), int(mi), int(ss or 0)
        if h > 23 or mnt > 59 or s > 59:
            return day.isoformat()
        return fmt(day, h, mnt, s, _offset(tz))
    m = _SLASHED_YMD.match(value)
    if m:
        day = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)), MIN_MACHINE_YEAR)
        return day.isoformat() if day else None
    if value[:1].isdigit() and value.isdigit():
        return None  # a bare number (timestamp or year): too ambiguous
    tup = parsedate_tz(value) if re.search(r"\d{1,2}:\d{2}", value) and "," in value[:6] else None
    if tup:
        day = _valid(tup[0], tup[1], tup[2], MIN_MACHINE_YEAR)
        if day:
            tz = timezone(timedelta(seconds=tup[9])) if tup[9] is not None else None
            return fmt(day, tup[3], tup[4], tup[5], tz)
    return parse_text(value)


def parse_text(text: str, *, captured: datetime | None = None, lang: str | None = None,
               use_dateparser: bool = True) -> str | None:
    """The first date written in a short visible text ("Updated: January 13, 2022, 9:14 AM").

    Relative dates ("3 hours ago", "yesterday") are resolved only against a known capture
    time (`captured`); without one they give None.
    """
    return parse_text_kind(text, captured=captured, lang=lang, use_dateparser=use_dateparser)[0]


def parse_text_kind(text: str, *, captured: datetime | None = None, lang: str | None = None,
                    use_dateparser: bool = True) -> tuple[str | None, str | None]:
    """(date, how it was written) for `parse_text`: "text" for a full date, "relative" for a
    relative expression resolved against `captured`; (None, None) when there is none."""
    if not text:
        return None, None
    text = text.strip()
    if len(text) > 300:
        text = text[:300]
    best = None
    for rx, kind in ((_MDY, "mdy"), (_DMY, "dmy"), (_YMD_TEXT, "ymd"), (_YMD_SLASH, "ymd"), (_NUMERIC, "num")):
        m = rx.search(text)
        if not m:
            continue
        if best is not None and m.start() >= best[0]:
            continue
        g = m.groups()
        if kind == "mdy":
            day = _valid(int(g[2]), MONTHS[g[0].lower()], int(g[1]))
            rest = g[3:]
        elif kind == "dmy":
            day = _valid(int(g[2]), MONTHS[g[1].lower()], int(g[0]))
            rest = g[3:]
        elif kind == "ymd":
            day = _valid(int(g[0]), int(g[1]), int(g[2]))
            rest = g[3:]
        else:
            a, b, y = int(g[0]), int(g[2]), g[3]
            yy = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))
            if g[1] == "/" and (lang or "en").lower().replace("_", "-") in ("en", "en-us") and a <= 12:
                day = _valid(yy, a, b) or _valid(yy, b, a)  # US order first
            else:
                day = _valid(yy, b, a)
            rest = g[4:]
        if day is None:
            continue
        best = (m.start(), _with_time(day, *rest))
    if best:
        return best[1], "text"
    if captured is not None:
        rel = parse_relative(text, captured)
        if rel:
            return rel, "relative"
    if use_dateparser and re.search(r"\d", text) and len(text) <= 80:
        value = _dateparser(text, lang)
        return (value, "text") if value else (None, None)
    return None, None


#: Microseconds of a capture time known to the day only (`parse_captured("2008-03-04")`): the
#: end of that day, and relative times under a day resolve to the day, not to an invented hour.
_DAY_ONLY = 999_999


def parse_captured(value: str) -> datetime:
    """A capture time given by a user or a server: an ISO 8601 day ("2008-03-04", the end of
    that day, UTC) or time ("2008-03-04T10:00:00Z"; UTC when it names no zone), or an HTTP date
    ("Tue, 04 Mar 2008 10:00:00 GMT"). Raises ValueError for anything else."""
    text = (value or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return datetime(day.year, day.month, day.day, 23, 59, 59, _DAY_ONLY, tzinfo=timezone.utc)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        tup = parsedate_tz(text) if text else None
        if not tup:
            raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD or an ISO 8601 time)") from None
        when = datetime(*tup[:6], tzinfo=timezone(timedelta(seconds=tup[9] or 0)))
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.replace(microsecond=0)


def format_captured(when: datetime) -> str:
    """A capture time as ISO 8601 in UTC; a capture known to the day only as that day."""
    if when.microsecond == _DAY_ONLY:
        return when.date().isoformat()
    return when.astimezone(timezone.utc).isoformat()


def later_than(iso: str, limit: datetime) -> bool:
    """Whether a date string (at any precision) lies after `limit`: a day or a time without a
    zone compares by day (its zone is unknown), a time with a zone exactly."""
    limit = limit if limit.tzinfo else limit.replace(tzinfo=timezone.utc)
    if len(iso) > 10:
        try:
            when = datetime.fromisoformat(iso)
        except ValueError:
            when = None
        if when is not None and when.tzinfo is not None:
            return when > limit
    return iso[:10] > limit.astimezone(timezone.utc).date().isoformat()


def parse_relative(text: str, captured: datetime) -> str | None:
    """"3 hours ago", "yesterday", "vor 2 Tagen" against the time the page was captured."""
    low = text.lower()
    base = captured if captured.tzinfo else captured.replace(tzinfo=timezone.utc)
    m = _RELATIVE.search(low)
    if m:
        num, unit = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i))
        n = 1 if not num.isdigit() else int(num)
        unit = unit.lower().rstrip("s")
        seconds = _UNIT_SECONDS.get(unit, _UNIT_SECONDS.get(unit.rstrip("ne"), 86400))
        when = base - timedelta(seconds=n * seconds)
        if seconds >= 86400 or base.microsecond == _DAY_ONLY:
            return when.date().isoformat()
        return when.replace(microsecond=0, second=0 if seconds >= 60 else when.second).isoformat()
    if re.search(r"\b(yesterday|gestern|hier)\b", low):
        return (base - timedelta(days=1)).date().isoformat()
    if re.search(r"\b(today|heute|aujourd'hui)\b", low):
        return base.date().isoformat()
    return None


_DP_CACHE: dict = {}


def _dateparser(text: str, lang: str | None) -> str | None:
    key = (text, lang)
    if key in _DP_CACHE:
        return _DP_CACHE[key]
    try:
        import dateparser
    except ImportError:  # pragma: no cover
        return None
    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
                "STRICT_PARSING": False, "PARSERS": ["absolute-time"]}
    # A language hint keeps dateparser from trying all of its locales, slow on every call.
    langs = [lang[:2].lower()] if lang and lang[:2].isalpha() else ["en"]
    dt = None
    for attempt in (langs, ["en"]):
        try:
            dt = dateparser.parse(text, languages=attempt, settings=settings)
            break
        except Exception:  # unknown language code, or dateparser's assorted errors on odd input
            dt = None
    out = None
    if dt is not None and MIN_YEAR <= dt.year <= MAX_YEAR:
        if re.search(r"\d{1,2}[:.h]\d{2}", text) and (dt.hour or dt.minute):
            out = dt.replace(microsecond=0).isoformat()
        else:
            out = dt.date().isoformat()
    if len(_DP_CACHE) < 10000:
        _DP_CACHE[key] = out
    return out


_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_URL_DATE_SEP = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/")


def url_date(url: str | None) -> str | None:
    """A day written in a URL path: /2008/03/04/, /2008-03-04-, /20080304/."""
    if not url:
        return None
    path = url.split("://", 1)[-1]
    path = path[path.find("/"):] if "/" in path else ""
    m = _URL_DATE_SEP.search(path) or _URL_DATE.search(path)
    if not m:
        return None
    day = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return day.isoformat() if day else None
