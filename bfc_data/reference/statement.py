"""The accessibility statement, in the model form GOV.UK publishes for public-sector websites: its words in
`accessibility_statement.md`, its contact and dates in `settings.toml` ([accessibility]), both editable."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

from bfc_data.reference.framework import REFERENCE_DIR, ReferenceError

SECTIONS = ("How accessible this service is", "Feedback and contact information", "Reporting accessibility problems",
            "Enforcement procedure", "Compliance status", "Non-accessible content", "Preparation of this accessibility statement")


def _folder() -> Path:
    return Path(os.environ.get("BFC_REFERENCE") or REFERENCE_DIR)


def details() -> dict:
    """The statement's contact, dates and the axe-core version it was tested with."""
    folder = _folder()
    path = folder / "settings.toml" if (folder / "settings.toml").exists() else REFERENCE_DIR / "settings.toml"
    try:
        found = tomllib.loads(path.read_text(encoding="utf-8"))["accessibility"]
        return {"contact": str(found["contact"]), "prepared": found["prepared"], "reviewed": found["reviewed"],
                "tested": found["tested"], "axe_version": str(found["axe_version"])}
    except (KeyError, tomllib.TOMLDecodeError) as error:
        raise ReferenceError(f"{path}: the [accessibility] settings are incomplete ({error})") from None


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def statement() -> str:
    """The statement as Markdown, with its contact and dates filled in."""
    folder = _folder()
    path = folder / "accessibility_statement.md" if (folder / "accessibility_statement.md").exists() \
        else REFERENCE_DIR / "accessibility_statement.md"
    found = details()
    return path.read_text(encoding="utf-8").format(
        contact=found["contact"], prepared=_date(found["prepared"]), reviewed=_date(found["reviewed"]),
        tested=_date(found["tested"]), axe_version=found["axe_version"])
