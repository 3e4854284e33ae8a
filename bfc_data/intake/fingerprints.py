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


def canonical_rows(rows, leave_out: tuple[str, ...] = PLACE) -> list[str]:
    """Each row as sorted-key JSON without its place in the file, in a fixed order."""
    return sorted(json.dumps({NAMES_WHEN_FIRST_STORED.get(k, k): row[k] for k in sorted(row) if k not in leave_out},
                             sort_keys=True, default=str)
                  for row in rows)


def fingerprint(content) -> str:
    """The SHA-256 of content (rows from `canonical_rows`, or a mapping of them) as sorted-key JSON."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
