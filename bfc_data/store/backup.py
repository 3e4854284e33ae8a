"""Backups: a store written out as Parquet files with its schema (DuckDB's EXPORT DATABASE), and a new store
rebuilt from them: today's schema, then the backup's rows table by table. (IMPORT DATABASE replays the exported
schema, whose views came out in an order it could not create, and its load script names the folder's old place.)

A backup is taken from a read-only connection, so it is consistent: every committed change and no half of
one. While the dashboard holds the store, it is taken from the copy the dashboard publishes after every change
(`snapshot_path`), which is as current as the dashboard's last write. A restored store is built in a file of
its own and moved into place only when it is complete and its tables hold what the backup says they held.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from bfc_data.store import measures
from bfc_data.store.database import DATA_TABLES, LOCK_WAIT_SECONDS, Database, StoreUnavailable, snapshot_path

MANIFEST = "bfc_backup.json"


def open_for_reading(path: Path, lock_wait: float = 1.0, kind: type = Database) -> tuple[Database, str | None]:
    """The store read-only; while another program holds it, the copy the dashboard published, with a note."""
    try:
        return kind(path, read_only=True, lock_wait=lock_wait), None
    except StoreUnavailable as unavailable:
        snapshot = snapshot_path(path)
        if not unavailable.locked:
            raise
        if not snapshot.exists():  # no dashboard publishing: another program is writing; wait for it a while longer
            return kind(path, read_only=True, lock_wait=max(LOCK_WAIT_SECONDS - lock_wait, 0)), None
        when = dt.datetime.fromtimestamp(snapshot.stat().st_mtime).strftime("%d %B %Y %H:%M:%S")
        return (kind(snapshot, read_only=True),
                f"the dashboard is using the store, so this reads the copy it published after its last change ({when})")


def backup(path: Path | str, out: Path | str) -> tuple[dict[str, int], str | None]:
    """Write the store at `path` to the folder `out` (which must not exist yet): its tables and a manifest."""
    path, out = Path(path), Path(out)
    if out.exists():
        raise FileExistsError(f"{out} already exists; give a new folder for the backup")
    store, note = open_for_reading(path)
    try:
        counts = {table: int(store.scalar(f"SELECT count(*) FROM {table}")) for table in DATA_TABLES}  # noqa: S608
        cur = store.cursor()
        try:
            cur.execute(f"EXPORT DATABASE '{_quoted(out)}' (FORMAT parquet)")
        finally:
            cur.close()
    finally:
        store.close()
    manifest = {"made_at": dt.datetime.now().isoformat(timespec="seconds"), "from": str(path), "tables": counts,
                "note": note}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return counts, note


def restore_backup(backup_dir: Path | str, path: Path | str) -> dict[str, int]:
    """A new store at `path` (which must not exist yet) rebuilt from a backup folder, checked against its manifest."""
    backup_dir, path = Path(backup_dir), Path(path)
    manifest_file = backup_dir / MANIFEST
    if not manifest_file.exists():
        raise FileNotFoundError(f"{backup_dir} is not a BFC backup (it has no {MANIFEST})")
    if path.exists():
        raise FileExistsError(f"{path} already exists; restore into a new file, then swap it in with the dashboard stopped")
    expected = json.loads(manifest_file.read_text(encoding="utf-8"))["tables"]
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.restoring-{os.getpid()}")
    try:
        # Today's schema first, then the backup's rows by column name (so a backup of an older store fits), then
        # the numbering carried on from where the backup's stopped.
        store = Database(building)
        try:
            with store._write() as cur:
                tables = set(cur.execute("SELECT table_name FROM information_schema.tables "
                                         "WHERE table_type = 'BASE TABLE'").df()["table_name"])
                for part in sorted(backup_dir.glob("*.parquet")):
                    # The sums kept for the figures are not copied but worked out again from the scores: a backup of
                    # an older store may lack them, or hold them under another definition, rows or columns.
                    if part.stem in tables and part.stem not in measures.KEPT:
                        cur.execute(f"DELETE FROM {part.stem}")  # noqa: S608 - a name checked against the schema's
                        cur.execute(f"INSERT INTO {part.stem} BY NAME SELECT * FROM read_parquet(?)", [str(part)])  # noqa: S608
                store._rebuild_levels(cur)  # and marked as today's: the backup's own mark came in with its meta table
                for name, start in _sequences(backup_dir / "schema.sql"):
                    cur.execute(f"CREATE OR REPLACE SEQUENCE {name} START {start}")
                # The returns and the registers, as the backup recorded them (the kept sums follow from them).
                expected = {table: count for table, count in expected.items() if table not in measures.KEPT}
                found = {table: cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in expected}  # noqa: S608
            store.checkpoint()
        finally:
            store.close()
        if found != expected:
            raise ValueError(f"the restored tables do not hold what the backup recorded: {found} against {expected}")
        os.replace(building, path)
    finally:
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return found


_SEQUENCE = re.compile(r"CREATE SEQUENCE (load_ids|submission_ids|precedence_seq)\b.*?\bSTART (\d+)")


def _sequences(schema: Path) -> list[tuple[str, int]]:
    """The store's own sequences and where they had got to, from the backup's schema."""
    text = schema.read_text(encoding="utf-8") if schema.exists() else ""
    return [(name, int(start)) for name, start in _SEQUENCE.findall(text)]


def _quoted(folder: Path) -> str:
    # EXPORT and IMPORT take a literal, not a parameter: the folder is the officer's own argument, quotes doubled.
    return str(folder).replace("'", "''")
