"""Checks of fields no benchmark labels: is a byline a name, is a source a site name?

Written apart from the extractor's own rules (a check that reuses the rule it checks cannot
fail): they flag what a reader would call wrong at a glance.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
          r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|juni|juli|oktober|dezember)")
#: A date, a time or a relative time inside a byline ("January 18", "6:46 AM", "2 hours ago",
#: "2007", "Published:"), or share-bar text. Digits alone are not flagged: "user5105" and
#: "LAOLA1.at" are names.
_NOT_A_NAME = re.compile(
    r"\d{1,2}[:.]\d{2}|\b\d+\s*(?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year)s?\b|\bago\b|"
    rf"\b{_MONTH}\.?\s+\d|\b\d{{1,2}}\.?\s+{_MONTH}\b|\b(?:19|20)\d{{2}}\b|\b\d{{1,2}}\s*[ap]\.?m\b|"
    r"\b(?:today|yesterday|published|updated|posted|modified|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|share|tweet|print|comments?)\b|^(?:" + _MONTH + r")$",
    re.IGNORECASE,
)
_SCRIPT = re.compile(r"[{};=<>]|document\.|\bfunction\b|\bvar\s")


def byline_has_date(name: str) -> bool:
    """Whether one byline entry holds a date, time, relative time or furniture text."""
    return bool(_NOT_A_NAME.search(name))


def source_is_not_site_name(source: str, headline: str = "") -> bool:
    """Whether a source is not a site name: script text, a list of keywords (a tagline),
    sentence-long text, or the headline (most of its words)."""
    if _SCRIPT.search(source):
        return True
    if source.count(",") >= 2 or source.count("|") >= 2:
        return True
    words = _WORD.findall(source.lower())
    if len(words) > 8:
        return True
    head = set(_WORD.findall((headline or "").lower()))
    if len(words) >= 3 and head and sum(w in head for w in words) / len(words) >= 0.6:
        return True
    return False
