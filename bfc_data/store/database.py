"""The DuckDB file: its tables and views, one connection per process, reads on their own cursors, writes one at a time.

One file (default `data/bfc.duckdb`, set by `BFC_DB`). Readers take their own cursor; writes go one at a
time through `Database._write`, each a transaction that commits whole or rolls back whole.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from bfc_data.access import AccessRefused
from bfc_data.reference.framework import Framework, framework
from bfc_data.store import measures

DEFAULT_DB = "data/bfc.duckdb"
log = logging.getLogger(__name__)


def default_path() -> Path:
    return Path(os.environ.get("BFC_DB") or DEFAULT_DB)


class NotFound(LookupError):
    """A submission or organisation that is not in the store."""


class StoreUnavailable(RuntimeError):
    """The store file cannot be used: in use by another program, not a store, or damaged. Said in words."""

    def __init__(self, path: Path, reason: str, locked: bool = False):
        super().__init__(f"the store {path} cannot be opened: {reason}")
        self.path, self.reason, self.locked = path, reason, locked


# How long opening waits for another program (a load from the command line, the dashboard) to let go of the file.
LOCK_WAIT_SECONDS = 5.0
# Writes committed by this process, per store file (every Store object on it): what `Database.version` watches.
_WRITES: collections.Counter[str] = collections.Counter()
_WRITES_LOCK = threading.Lock()


def _unavailable(path: Path, error: Exception) -> StoreUnavailable:
    text = str(error)
    if "lock" in text.lower():
        return StoreUnavailable(path, "another program is using it (the dashboard, or a load from the command line); "
                                      "try again when that has finished", locked=True)
    if "not a valid DuckDB database file" in text:
        return StoreUnavailable(path, "the file is not a BFC store (it is not a DuckDB database)")
    return StoreUnavailable(path, "the file is damaged or cut short and cannot be read; restore the latest backup "
                                  "(python -m bfc_data restore-backup)")


def connect(path: Path, read_only: bool, wait: float = LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """A connection to the store file, waiting up to `wait` seconds while another program holds it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as error:
            if "lock" in str(error).lower() and time.monotonic() < deadline:
                time.sleep(0.25)
                continue
            raise _unavailable(path, error) from None


SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS load_ids START 1;
CREATE SEQUENCE IF NOT EXISTS submission_ids START 1;
CREATE SEQUENCE IF NOT EXISTS precedence_seq START 1;
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS files (
    file_sha256 VARCHAR PRIMARY KEY, file_name VARCHAR, size_bytes BIGINT, content BLOB, received_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS load_register (
    load_id BIGINT PRIMARY KEY, happened_at TIMESTAMP, done_by VARCHAR, action VARCHAR,
    file_name VARCHAR, file_sha256 VARCHAR, file_kind VARCHAR, outcome VARCHAR,
    submissions_new INTEGER, submissions_unchanged INTEGER, rows_read INTEGER, rows_loaded INTEGER,
    errors INTEGER, warnings INTEGER, subject VARCHAR, messages VARCHAR);
CREATE TABLE IF NOT EXISTS organisations (
    organisation_code VARCHAR PRIMARY KEY, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    borough VARCHAR, contact_name VARCHAR, contact_email VARCHAR, first_loaded_at TIMESTAMP, updated_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS submissions (
    submission_id BIGINT PRIMARY KEY, file_kind VARCHAR, organisation_code VARCHAR, reporting_year INTEGER,
    fingerprint VARCHAR, file_sha256 VARCHAR, file_name VARCHAR, load_id BIGINT, loaded_by VARCHAR,
    loaded_at TIMESTAMP, carries_maturity BOOLEAN, carries_metrics BOOLEAN, precedence BIGINT,
    organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR, borough VARCHAR,
    contact_name VARCHAR, contact_email VARCHAR, rows INTEGER);
CREATE TABLE IF NOT EXISTS maturity_scores (
    submission_id BIGINT, action VARCHAR, role VARCHAR, equality_group VARCHAR, intersecting_group VARCHAR,
    maturity_level TINYINT, evidence VARCHAR, next_step VARCHAR, support_wanted VARCHAR, extra_columns VARCHAR,
    source_sheet VARCHAR, source_row INTEGER);
CREATE TABLE IF NOT EXISTS metric_values (
    submission_id BIGINT, metric VARCHAR, equality_group VARCHAR, value DOUBLE, notes VARCHAR, extra_columns VARCHAR,
    source_sheet VARCHAR, source_row INTEGER);
CREATE TABLE IF NOT EXISTS learning_events (
    submission_id BIGINT, event_id VARCHAR, date DATE, learning_format VARCHAR, priority_area VARCHAR, title VARCHAR,
    delivery VARCHAR, extra_columns VARCHAR, source_row INTEGER);
CREATE TABLE IF NOT EXISTS attendance (
    submission_id BIGINT, event_id VARCHAR, organisation_code VARCHAR, attendees INTEGER, pitched_right TINYINT,
    will_use TINYINT, more_support VARCHAR, extra_columns VARCHAR, source_row INTEGER);
CREATE TABLE IF NOT EXISTS organisation_register (
    submission_id BIGINT, organisation_code VARCHAR, organisation_name VARCHAR, sector VARCHAR, size_band VARCHAR,
    borough VARCHAR, contact_name VARCHAR, contact_email VARCHAR, extra_columns VARCHAR, source_row INTEGER);
CREATE TABLE IF NOT EXISTS ref_actions (action VARCHAR, action_number INTEGER, title VARCHAR, priority_area VARCHAR, working_title BOOLEAN);
CREATE TABLE IF NOT EXISTS ref_priority_areas (priority_area VARCHAR, position INTEGER);
CREATE OR REPLACE VIEW current_maturity_submissions AS
    SELECT * FROM submissions WHERE carries_maturity
    QUALIFY row_number() OVER (PARTITION BY organisation_code, reporting_year ORDER BY precedence DESC) = 1;
CREATE OR REPLACE VIEW current_metric_submissions AS
    SELECT * FROM submissions WHERE carries_metrics
    QUALIFY row_number() OVER (PARTITION BY organisation_code, reporting_year ORDER BY precedence DESC) = 1;
CREATE OR REPLACE VIEW current_maturity AS
    SELECT s.organisation_code, s.reporting_year, s.organisation_name, s.sector,
           coalesce(s.size_band, o.size_band) AS size_band, a.priority_area, a.action_number, m.*
    FROM maturity_scores m JOIN current_maturity_submissions s USING (submission_id)
    LEFT JOIN ref_actions a USING (action)
    LEFT JOIN organisations o USING (organisation_code);
CREATE OR REPLACE VIEW current_metrics AS
    SELECT s.organisation_code, s.reporting_year, m.*
    FROM metric_values m JOIN current_metric_submissions s USING (submission_id);
CREATE OR REPLACE VIEW current_learning_events AS
    SELECT e.* FROM learning_events e JOIN submissions s USING (submission_id)
    QUALIFY row_number() OVER (PARTITION BY e.event_id ORDER BY s.precedence DESC) = 1;
CREATE OR REPLACE VIEW current_attendance AS
    SELECT t.* FROM attendance t JOIN submissions s USING (submission_id)
    QUALIFY row_number() OVER (PARTITION BY t.event_id, t.organisation_code ORDER BY s.precedence DESC) = 1;
CREATE OR REPLACE VIEW submission_history AS
    SELECT s.*,
        CASE WHEN s.submission_id IN (SELECT submission_id FROM current_maturity_submissions)
               OR s.submission_id IN (SELECT submission_id FROM current_metric_submissions)
               OR s.file_kind IN ('learning events CSV', 'attendance CSV', 'organisation register CSV') THEN 'current'
             ELSE 'superseded' END AS status
    FROM submissions s;
"""

# Who returned maturity levels in which reporting year: the pairs of current_maturity_submissions, which has one current
# return for every organisation and year with any, found without picking it (a window over every submission). For
# the queries that ask only who returned when.
RETURNED = "(SELECT DISTINCT organisation_code, reporting_year FROM submissions WHERE carries_maturity)"

DATA_TABLES = ("files", "organisations", "submissions", "maturity_scores", "metric_values", "learning_events", "attendance",
               "organisation_register", *measures.KEPT)
DETAILS = ("organisation_name", "sector", "size_band", "borough", "contact_name", "contact_email")


def snapshot_path(path: Path) -> Path:
    """Where a running dashboard publishes the copy of its store that other programs read: bfc.snapshot.duckdb."""
    return path.with_name(f"{path.stem}.snapshot{path.suffix or '.duckdb'}")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


# Columns renamed since stores were first written: (table, old name, new name). A store opened for writing is
# brought up to date in the same transaction as its schema.
RENAMED_COLUMNS = (("learning_events", "format", "learning_format"),)


def _rename_old_columns(cur) -> None:
    for table, old, new in RENAMED_COLUMNS:
        if cur.execute("SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
                       [table, old]).fetchone():
            cur.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")  # noqa: S608 - names from the tuple above


class Database:
    """The store's file and connection. Safe to share between threads: each read takes its own cursor."""

    def __init__(self, path: Path | str | None = None, fw: Framework | None = None, read_only: bool = False,
                 publish: bool = False, lock_wait: float = LOCK_WAIT_SECONDS):
        self.path = Path(path) if path is not None else default_path()
        self.fw = fw or framework()
        self.read_only = read_only
        # The dashboard holds its store for writing as long as it runs; after every change it publishes a
        # checkpointed copy (`snapshot_path`) that other programs read meanwhile: the CLI's read commands, backups.
        self.publish = publish and not read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = connect(self.path, read_only, lock_wait)
        cur = self._con.cursor()
        try:  # the catalog's name, for copying it whole (a result left open would hold a transaction open)
            self._name = cur.execute("SELECT current_database()").fetchall()[0][0]
        finally:
            cur.close()
        self._lock = threading.Lock()
        self._file = str(self.path.resolve())
        self._version: tuple[int, int] | None = None
        self._live_levels = False
        try:
            if not read_only:
                with self._write() as cur:
                    _rename_old_columns(cur)
                    cur.execute(SCHEMA)
                    for table in measures.TABLES:
                        cur.execute(table)
                    self._sync_reference(cur)
            else:
                # A store written before organisation_levels existed (or under another definition) is read live.
                self._live_levels = self.meta("organisation_levels") != self._levels_key()
        except duckdb.Error as error:  # opened, but its tables cannot be read or written: damaged, or not ours
            self._con.close()
            raise StoreUnavailable(self.path, "its tables cannot be read; it may be damaged, or a DuckDB file of "
                                              f"another program ({str(error).splitlines()[0][:120]})") from None

    def close(self) -> None:
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- reading ---------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._con.cursor()
        if self._live_levels:
            cur.execute(measures.live_view())
        return cur

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        """A read, parameterised; each call on its own cursor so threads never share one."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def row(self, sql: str, params: list | tuple | None = None) -> tuple | None:
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchone()
        finally:
            cur.close()

    def scalar(self, sql: str, params: list | tuple | None = None):
        row = self.row(sql, params)
        return row[0] if row else None

    def version(self) -> int:
        """Grows with every write that can change a figure (a load, refusal or restore; not a recorded download):
        the key for caches of query results.

        Asked for by every cached figure of every page run, so it is read again only after a write. Every write
        to the file goes through `_write` in this process: no other process can write while a store is open for
        writing (DuckDB locks the file), and a read-only store never sees another's later writes."""
        writes = _WRITES[self._file]
        known = self._version
        if known is not None and known[0] == writes:
            return known[1]
        # Counted before reading: a write committed meanwhile moves the count on, and the next call reads again.
        value = int(self.scalar("SELECT coalesce(max(load_id), 0) FROM load_register WHERE action <> 'download'"))
        self._version = (writes, value)
        return value

    def meta(self, name: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", [name])

    def set_meta(self, name: str, value: str) -> None:
        with self._write() as cur:
            cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [name, value])

    @contextmanager
    def checkpoint_at_end(self):
        """Several loads in a row fold the log into the file once, at the end. Left to itself DuckDB folds it
        whenever it passes 16 MB, and each fold rewrote the tables' newest parts: at 5,000 returns, batch after
        batch, that was nearly half the load (15.1 s against 8.4 s)."""
        if self.read_only:
            yield
            return
        cur = self._con.cursor()
        try:
            cur.execute("SET checkpoint_threshold = '1GB'")
            try:
                yield
            finally:
                cur.execute("RESET checkpoint_threshold")
        finally:
            cur.close()
        self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file, after a large load (and publish, if this store does)."""
        with self._lock:
            cur = self._con.cursor()
            try:
                if self.publish:
                    self._publish(cur)
                else:
                    cur.execute("CHECKPOINT")
            finally:
                cur.close()

    def table_snapshot(self) -> dict[str, pd.DataFrame]:
        """Every data table's contents, for checking that a refused load changed nothing."""
        return {t: self.query(f"SELECT * FROM {t} ORDER BY ALL") for t in DATA_TABLES}  # noqa: S608 - fixed names

    # -- writing ---------------------------------------------------------
    @contextmanager
    def _write(self):
        if self.read_only:
            raise AccessRefused("this store was opened read-only")
        with self._lock:
            cur = self._con.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield cur
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                cur.execute("COMMIT")
                with _WRITES_LOCK:
                    _WRITES[self._file] += 1
                if self.publish:
                    self._publish(cur)
            finally:
                cur.close()

    def _publish(self, cur) -> None:
        """Fold the log into the file and copy it whole beside it, while no other write can start (the lock is
        held): a reader of the copy sees every committed change and never half of one.

        FORCE waits for this process's readers to finish rather than failing beside them. The change itself is
        already committed: should publishing fail (a full disk), the copy stays as it was, one change behind,
        and the next change publishes again."""
        building = self.snapshot_path.with_name(f".{self.snapshot_path.name}.{os.getpid()}")
        try:
            cur.execute("FORCE CHECKPOINT")
            # DuckDB writes the copy itself. Opening the store's own file to copy it would cost this process its
            # lock on it: POSIX drops all of a process's locks on a file when any descriptor of it is closed.
            building.unlink(missing_ok=True)
            cur.execute("ATTACH ? AS bfc_publishing", [str(building)])
            try:
                cur.execute(f'COPY FROM DATABASE "{self._name}" TO bfc_publishing')
            finally:
                cur.execute("DETACH bfc_publishing")
            os.replace(building, self.snapshot_path)
        except (duckdb.Error, OSError) as error:
            building.unlink(missing_ok=True)
            log.warning("could not publish the store's copy for readers: %s", error)

    @property
    def snapshot_path(self) -> Path:
        return snapshot_path(self.path)

    def _sync_reference(self, cur) -> None:
        """The reference files are the truth: their actions and areas are copied in at every start."""
        cur.execute("DELETE FROM ref_actions")
        cur.executemany("INSERT INTO ref_actions VALUES (?, ?, ?, ?, ?)",
                        [[a.action, a.number, a.title, a.priority_area, a.working_title] for a in self.fw.actions.values()])
        cur.execute("DELETE FROM ref_priority_areas")
        cur.executemany("INSERT INTO ref_priority_areas VALUES (?, ?)",
                        [[area, i + 1] for i, area in enumerate(self.fw.priority_areas)])
        if cur.execute("SELECT value FROM meta WHERE key = 'organisation_levels'").fetchone() != (self._levels_key(),):
            self._rebuild_levels(cur)  # a new definition, or actions moved between areas: rebuild every organisation

    def _rebuild_levels(self, cur) -> None:
        """Every kept table made afresh from the current returns, and marked as built under today's definition."""
        measures.rebuild(cur)
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('organisation_levels', ?)", [self._levels_key()])

    def _levels_key(self) -> str:
        """What organisation_levels was built under: the definition and the actions' places in the framework."""
        actions = sorted((a.action, a.number, a.priority_area) for a in self.fw.actions.values())
        return hashlib.sha256(repr((measures.DEFINITION, actions)).encode()).hexdigest()[:16]

    def _read(self, cur, sql: str, params: list) -> pd.DataFrame:
        return cur.execute(sql, params).df() if cur is not None else self.query(sql, params)
