"""Content fingerprints: the same content, however it was typed or saved, gives the same fingerprint.

A fingerprint hashes what a return says, not its bytes, so a return saved again (or re-sent) is recognised
and changes nothing. The digests are stable across versions: stores keep them, and re-sent files are matched
against what is stored (a test holds the values).
"""

from __future__ import annotations

import hashlib
import json
import math
from json.encoder import encode_basestring_ascii

# Where a row came from in its file is not part of what it says.
PLACE = ("source_row", "source_sheet")

# Columns renamed since stores began keeping fingerprints are hashed under the name they had then, so a file
# loaded before the rename is still recognised when it is sent again.
NAMES_WHEN_FIRST_STORED = {"learning_format": "format"}


# One encoder for every row: json.dumps with options builds a new one on each call, a third of the cost.
_SORTED_JSON = json.JSONEncoder(sort_keys=True, default=str).encode


def _float(value: float) -> str:
    # As json writes a float (allow_nan): repr, or NaN, Infinity, -Infinity.
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


# How json writes a value of each exact type (ensure_ascii, the default). Any other type falls back to the encoder.
_VALUE = {str: encode_basestring_ascii, type(None): lambda _: "null", bool: lambda b: "true" if b else "false",
          int: int.__repr__, float: _float}


def _plan(keys: tuple, leave_out: tuple[str, ...]) -> list[tuple[str, str]] | None:
    """For rows with these keys: (what json writes before each kept value, its key), in json's sorted order."""
    rename = NAMES_WHEN_FIRST_STORED.get
    kept = sorted((rename(k, k), k) for k in keys if k not in leave_out)
    if len({name for name, _ in kept}) < len(kept):  # two keys under one name: the encoder decides, as before
        return None
    return [(("{" if i == 0 else ", ") + encode_basestring_ascii(name) + ": ", k) for i, (name, k) in enumerate(kept)]


def canonical_rows(rows, leave_out: tuple[str, ...] = PLACE) -> list[str]:
    """Each row as sorted-key JSON without its place in the file, in a fixed order.

    Written by hand for the row's keys (worked out once per set of keys) and json's own string encoder: the same
    text as `json.JSONEncoder(sort_keys=True, default=str)` gives, at half the cost (a test holds them equal)."""
    rename = NAMES_WHEN_FIRST_STORED.get
    plans: dict[tuple, list | None] = {}
    written = []
    for row in rows:
        keys = tuple(row)
        plan = plans[keys] if keys in plans else plans.setdefault(keys, _plan(keys, leave_out))
        text = None
        if plan is not None:
            try:
                text = "".join([before + _VALUE[type(row[k])](row[k]) for before, k in plan]) + "}" if plan else "{}"
            except KeyError:  # a value of another type (a date): the encoder writes it
                text = None
        if text is None:
            text = _SORTED_JSON({rename(k, k): value for k, value in row.items() if k not in leave_out})
        written.append(text)
    return sorted(written)


def fingerprint(content) -> str:
    """The SHA-256 of content (rows from `canonical_rows`, or a mapping of them) as sorted-key JSON."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
