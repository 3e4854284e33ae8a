"""Content fingerprints: the same content, however it was typed or saved, gives the same fingerprint.

A fingerprint hashes what a return says, not its bytes, so a return saved again (or re-sent) is recognised
and changes nothing. The digests are stable across versions: stores keep them, and re-sent files are matched
against what is stored (a test holds the values).
"""

from __future__ import annotations

import hashlib
import json

# Where a row came from in its file is not part of what it says.
PLACE = ("source_row", "source_sheet")

# Columns renamed since stores began keeping fingerprints are hashed under the name they had then, so a file
# loaded before the rename is still recognised when it is sent again.
NAMES_WHEN_FIRST_STORED = {"learning_format": "format"}


# One encoder for every row: json.dumps with options builds a new one on each call, a third of the cost.
_SORTED_JSON = json.JSONEncoder(sort_keys=True, default=str).encode


def canonical_rows(rows, leave_out: tuple[str, ...] = PLACE) -> list[str]:
    """Each row as sorted-key JSON without its place in the file, in a fixed order."""
    rename = NAMES_WHEN_FIRST_STORED.get
    return sorted(_SORTED_JSON({rename(k, k): value for k, value in row.items() if k not in leave_out}) for row in rows)


def fingerprint(content) -> str:
    """The SHA-256 of content (rows from `canonical_rows`, or a mapping of them) as sorted-key JSON."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
