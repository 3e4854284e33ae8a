"""Opening the dashboard's store, building it from the bundled sample data on first start."""

from __future__ import annotations

import os
from pathlib import Path

from bfc_data.sample import sample_files
from bfc_data.store import Store, default_path, load_files

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_SOURCE = "sample data"


def sample_dir() -> Path | None:
    """Where a new store is filled from: `BFC_SAMPLE_DIR` (empty: nowhere), else the bundled sample."""
    configured = os.environ.get("BFC_SAMPLE_DIR")
    if configured is None:
        return SAMPLE_DIR
    return Path(configured) if configured.strip() else None


def open_store(path: Path | str | None = None, sample_dir: Path | str | None = SAMPLE_DIR) -> Store:
    """The store at `path` (default `BFC_DB`); a new one is filled from `sample_dir` and marked as sample data."""
    path = Path(path) if path is not None else default_path()
    is_new = not path.exists()
    store = Store(path)
    if is_new and sample_dir is not None and Path(sample_dir).is_dir():
        files = [(p.name, p.read_bytes()) for p in sample_files(sample_dir)]
        load_files(store, files, loaded_by="sample data loader")
        store.set_meta("source", SAMPLE_SOURCE)
        store.checkpoint()
    return store


def is_sample(store: Store) -> bool:
    return store.meta("source") == SAMPLE_SOURCE
