"""Vietnamese dates for readers, through Babel's CLDR data (no hand-made tables)."""

from __future__ import annotations

import os
from datetime import datetime
from functools import lru_cache

from babel.dates import format_datetime

LONG = "EEEE, dd/MM/yyyy HH:mm"   # Thứ Năm, 13/01/2022 08:30
DAY = "EEEE, dd/MM/yyyy"          # Thứ Năm, 13/01/2022
SHORT = "dd/MM/yyyy"


# Unbounded: an archive has one entry per article date and pattern, and each date
# is printed on its page and again on several listing pages far apart.
@lru_cache(maxsize=None)
def _format(dt: datetime, pattern: str) -> str:
    text = format_datetime(dt, pattern, tzinfo=dt.tzinfo, locale="vi")
    # CLDR writes "thứ năm"; Vietnamese newspapers capitalise each word of the day.
    if pattern.startswith("EEEE"):
        day, _, rest = text.partition(", ")
        text = " ".join(w[:1].upper() + w[1:] for w in day.split()) + ", " + rest
    return text


def vn_date(dt: datetime, pattern: str = LONG) -> str:
    """Format ``dt`` the way Vietnamese bulletins print it."""
    return _format(dt, pattern)


def now_in(site) -> datetime:
    """The build's clock in the site's time zone; TOASOAN_NOW (ISO 8601) pins it for reproducible builds."""
    pinned = os.environ.get("TOASOAN_NOW")
    if pinned:
        dt = datetime.fromisoformat(pinned)
        return dt.replace(tzinfo=site.tz) if dt.tzinfo is None else dt
    return datetime.now(site.tz)
