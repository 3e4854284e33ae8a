"""Opening the dashboard's store, building it from the bundled sample data on first start."""

from __future__ import annotations

import os
from pathlib import Path

from bfc_data.store import Store, default_path, load_files

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_SOURCE = "sample data"


def sample_dir() -> Path | None:
    """Where a new store is filled from: `BFC_SAMPLE_DIR` (empty: nowhere), else the bundled sample."""
    configured = os.environ.get("BFC_SAMPLE_DIR")
    if configured is None:
        return SAMPLE_DIR
    return Path(configured) if configured.strip() else None


def open_store(path: Path | str | None = None, sample_dir: Path | str | None = SAMPLE_DIR, publish: bool = False) -> Store:
    """The store at `path` (default `BFC_DB`); a new one is filled from `sample_dir` and marked as sample data.

    The sample store is built in a file of its own beside `path` and moved into place only when it is complete
    and labelled, so a first start killed part-way leaves no store (the next start builds it again), never a
    half-filled one.
    """
    path = Path(path) if path is not None else default_path()
    if not path.exists() and sample_dir is not None and Path(sample_dir).is_dir():
        _build_sample(path, Path(sample_dir))
    # Opened to publish, the store publishes its copy for readers as it opens (its schema is written then).
    return Store(path, publish=publish)


def _build_sample(path: Path, sample_dir: Path) -> None:
    from bfc_data.sample import sample_files  # the sample generator (and openpyxl) only when a store is first built
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_builds(path)
    building = path.with_name(f".{path.name}.building-{os.getpid()}")
    try:
        with Store(building) as store:
            files = [(p.name, p.read_bytes()) for p in sample_files(sample_dir)]
            load_files(store, files, loaded_by="sample data loader")
            store.set_meta("source", SAMPLE_SOURCE)
            store.checkpoint()
        if path.exists():  # another process finished first: its store stands
            return
        os.replace(building, path)
    finally:
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _remove_abandoned_builds(path: Path) -> None:
    """Sample builds of processes that no longer run (killed part-way) are deleted."""
    for leftover in path.parent.glob(f".{path.name}.building-*"):
        pid = leftover.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and not _running(int(pid)):
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_sample(store: Store) -> bool:
    return store.meta("source") == SAMPLE_SOURCE
