"""Reading one typed value: the forms partners use for levels, years, actions, numbers and dates.

Each parser takes what was in the cell and returns the stored value, or raises
`BadValue` with the words an officer would use to describe what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache

from bfc_data.reference.framework import Framework, key


class BadValue(ValueError):
    """A cell that cannot be read; `expected` says what would have been right."""

    def __init__(self, expected: str, kind: str = "unknown_code"):
        super().__init__(expected)
        self.expected = expected
        self.kind = kind


BLANK_WORDS = {"", "na", "nan", "none", "notapplicable", "nottakingpart", "nil", "null"}


def text(value: object) -> str:
    """A cell as text: whole numbers without '.0', dates as ISO, blanks as ''."""
    if type(value) is str:  # nearly every cell: no other test needed
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def is_blank(value: object) -> bool:
    """Blank, or a word partners type to mean blank ('N/A', '-', 'None')."""
    t = text(value)
    return t.strip(" -–—") == "" or key(t) in BLANK_WORDS


def reporting_year(value: object) -> int:
    """A financial year as its first calendar year: '2024-25', '2024/25', 'FY2024-25', '2024-2025', '2024'."""
    t = text(value)
    match = re.fullmatch(r"(?:fy\s*)?(\d{4})(?:\s*[-–—/]\s*(\d{2}|\d{4}))?", t.strip().lower())
    if not match:
        raise BadValue("a financial year such as 2024-25 (or 2024/25, 2024-2025, FY2024-25, 2024)", "bad_year")
    first = int(match.group(1))
    if match.group(2):
        second = int(match.group(2))
        expected_second = first + 1 if len(match.group(2)) == 4 else (first + 1) % 100
        if second != expected_second:
            raise BadValue(f"a financial year of consecutive years, such as {first}-{(first + 1) % 100:02d}", "bad_year")
    if not 2000 <= first <= 2099:
        raise BadValue("a financial year between 2000-01 and 2099-00", "bad_year")
    return first


@lru_cache(maxsize=1)
def _london():
    # Looked up when first needed, so a machine without time-zone data fails only here, not on import.
    from zoneinfo import ZoneInfo
    return ZoneInfo("Europe/London")


def london_time(moment: dt.datetime) -> dt.datetime:
    """A stored UTC time as the clock on the wall in London (GMT or BST)."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(_london()).replace(tzinfo=None)


def year_label(year: int) -> str:
    """2024 -> '2024-25', the form shown everywhere."""
    return f"{year}-{(year + 1) % 100:02d}"


def maturity_level(value: object, fw: Framework) -> int:
    """'3', '3 Achieving', '3 - Achieving', 'Level 3', 'achieving' (any case) -> 3."""
    t = text(value)
    low = t.lower()
    numbers = re.findall(r"\d+(?:\.\d+)?", low)
    words = key(re.sub(r"\b(?:level|lvl|l)(?=\s*\d)|\d+(?:\.\d+)?", " ", low))
    by_label = {key(label): level for level, label in fw.maturity_scale.items()}
    scale = ", ".join(fw.level_name(level) for level in fw.maturity_scale)
    expected = f"a maturity level: {scale} (the number, the word, or both)"
    level_from_number = None
    if len(numbers) == 1:
        number = float(numbers[0])
        if number.is_integer() and int(number) in fw.maturity_scale:
            level_from_number = int(number)
        else:
            raise BadValue(expected, "out_of_range")
    elif len(numbers) > 1:
        raise BadValue(expected)
    level_from_word = by_label.get(words) if words else None
    if words and level_from_word is None:
        raise BadValue(expected)
    if level_from_number and level_from_word and level_from_number != level_from_word:
        raise BadValue(f"{expected}; the number and the word disagree")
    level = level_from_number or level_from_word
    if level is None:
        raise BadValue(expected)
    return level


def action(value: object, fw: Framework) -> str:
    """'A3', 'a03', '3', 'Action 3', 'A3 - title' or the exact title -> 'A3'."""
    t = text(value)
    match = re.match(r"^\s*(?:action\s*)?a?\s*0*(\d{1,2})(?!\d)", t, flags=re.IGNORECASE)
    codes = ", ".join(fw.actions)
    if match:
        code = f"A{int(match.group(1))}"
        if code in fw.actions:
            return code
        raise BadValue(f"one of the plan's actions: {codes}")
    for code, item in fw.actions.items():
        if key(item.title) == key(t):
            return code
    raise BadValue(f"one of the plan's actions: {codes}")


# Characters that change how text shows or compares but not what it looks like: zero-width spaces and joiners,
# direction marks and overrides, the byte-order mark, soft hyphens. In a code they make a second, look-alike value.
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# In names and free text the characters are kept, but these are worth a word: controls and direction overrides.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def code_text(value: object) -> tuple[str, str]:
    """(the text a code is read from, what was taken out of it): NFKC-normalised (full-width 'ＯＲＧ' is 'ORG'),
    with invisible and control characters removed."""
    raw = text(value)
    normal = unicodedata.normalize("NFKC", raw)
    removed = "".join(INVISIBLE.findall(normal)) + "".join(CONTROL.findall(INVISIBLE.sub("", normal)))
    cleaned = CONTROL.sub("", INVISIBLE.sub("", normal)).strip()
    return cleaned, removed


def unseen(removed: str) -> str:
    """'a zero-width space (U+200B)': the characters taken out of a value, named so an officer can find them."""
    names = []
    for character in dict.fromkeys(removed):
        name = unicodedata.name(character, "control character").lower()
        names.append(f"{name} (U+{ord(character):04X})")
    return ", ".join(names)


def organisation_code(value: object) -> tuple[str, bool]:
    """('ORG-0042', looks_like_a_GLA_code). 'org 42' and 'ORG0042' read as ORG-0042."""
    t = code_text(value)[0].upper()
    match = re.fullmatch(r"ORG\s*[-_ ]?\s*(\d{1,6})", t)
    if match:
        return f"ORG-{int(match.group(1)):04d}", True
    return re.sub(r"\s+", " ", t), False


def number(value: object) -> float:
    """A number as partners type it: '1,234', '£12.50', '45%', '(3)' is not accepted."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            raise BadValue("a number", "bad_number")
        return float(value)
    t = text(value).replace(",", "").replace("£", "").replace("%", "").replace("−", "-").strip()
    try:
        result = float(t)
    except ValueError:
        raise BadValue("a number", "bad_number") from None
    if math.isnan(result) or math.isinf(result):
        raise BadValue("a number", "bad_number")
    return result


def yes_no(value: object) -> float:
    k = key(text(value))
    if k in ("yes", "y", "true", "1", "accredited"):
        return 1.0
    if k in ("no", "n", "false", "0", "notaccredited"):
        return 0.0
    raise BadValue("yes or no", "bad_number")


def whole_number(value: object, low: int, high: int) -> int:
    result = number(value)
    if not result.is_integer():
        raise BadValue(f"a whole number from {low} to {high}", "bad_number")
    if not low <= result <= high:
        raise BadValue(f"a whole number from {low} to {high}", "out_of_range")
    return int(result)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


def date(value: object) -> dt.date:
    """ISO dates, UK day-first dates, '14 March 2024', or an Excel date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    t = text(value)
    t = re.sub(r"T00:00:00$| 00:00:00$", "", t)
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(t, form).date()
        except ValueError:
            continue
    raise BadValue("a date such as 2024-03-14 or 14/03/2024 (day first)", "bad_date")
