"""Date values users type: "2022", "2022-01", "2022-01-31", as ranges of days."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_bound(value: str, *, end: bool) -> datetime:
    """The first (or, with `end`, the last) instant of the period `value` names.

    Raises ValueError with a readable message for anything but YYYY, YYYY-MM, YYYY-MM-DD.
    """
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            first, last = date(year, 1, 1), date(year, 12, 31)
        elif day is None:
            mon = int(month)
            first = date(year, mon, 1)
            last = date(year, mon, calendar.monthrange(year, mon)[1])
        else:
            first = last = date(year, int(month), int(day))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None
    if end:
        if last == date.max:
            return datetime.max.replace(microsecond=0)
        return datetime.combine(last, datetime.min.time()) + timedelta(days=1) - timedelta(seconds=1)
    return datetime.combine(first, datetime.min.time())


def day(value: datetime) -> str:
    return value.strftime("%Y-%m-%d")
