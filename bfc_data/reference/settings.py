"""Settings officers may change, read from `reference/settings.toml` (or `BFC_REFERENCE`'s copy)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bfc_data.reference.framework import REFERENCE_DIR, ReferenceError


@dataclass(frozen=True)
class Settings:
    suppression_threshold: int
    palette: tuple[str, ...]
    reading_memory_mb: int = 256  # what reading one uploaded file may cost at most
    reading_seconds: float = 10.0


@lru_cache(maxsize=4)
def _load(directory: str) -> Settings:
    path = Path(directory) / "settings.toml"
    if not path.exists():
        path = REFERENCE_DIR / "settings.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        threshold = int(os.environ.get("BFC_SUPPRESSION_THRESHOLD") or data["suppression"]["threshold"])
        reading = data.get("reading", {})
        settings = Settings(threshold, tuple(data["charts"]["palette"]), int(reading.get("memory_mb", 256)),
                            float(reading.get("seconds", 10)))
    except (KeyError, ValueError, tomllib.TOMLDecodeError) as error:
        raise ReferenceError(f"{path}: {error}") from None
    if threshold < 1:
        raise ReferenceError(f"{path}: the suppression threshold must be 1 or more")
    return settings


def settings() -> Settings:
    return _load(str(os.environ.get("BFC_REFERENCE") or REFERENCE_DIR))
