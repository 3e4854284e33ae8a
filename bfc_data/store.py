"""The DuckDB store: returns, their history, the raw files and the load register.

One file (default `data/bfc.duckdb`, set by `BFC_DB`). One connection per process;
readers take their own cursor, writes go one at a time through `Store._write`.
A load is one transaction per file: a rejected or failing file leaves every data
table exactly as it was, and only the load register gains a row saying so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from . import measures
from .access import AccessRefused, Viewer, as_viewer, require_officer
from .fingerprints import canonical_rows
from .fingerprints import fingerprint as content_fingerprint
from .framework import Framework, framework
from .validation import ValidatedFile
from .values import london_time, year_label

DEFAULT_DB = "data/bfc.duckdb"


def default_path() -> Path:
    return Path(os.environ.get("BFC_DB") or DEFAULT_DB)


class NotFound(LookupError):
    """A submission or organisation that is not in the store."""


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
    submission_id BIGINT, event_id VARCHAR, date DATE, format VARCHAR, priority_area VARCHAR, title VARCHAR,
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

DATA_TABLES = ("files", "organisations", "submissions", "maturity_scores", "metric_values", "learning_events", "attendance",
               "organisation_register", "organisation_levels")
DETAILS = ("organisation_name", "sector", "size_band", "borough", "contact_name", "contact_email")


@dataclass
class LoadOutcome:
    """What happened to one file: the register's row, in words."""

    file: str
    outcome: str  # accepted / accepted with warnings / already received / rejected / failed
    load_id: int | None
    validated: ValidatedFile
    new_submissions: list[int] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # "replaces ORG-0042's 2024-25 return loaded on …"
    failure: str | None = None

    @property
    def rejected(self) -> bool:
        return self.outcome in ("rejected", "failed")

    def as_dict(self) -> dict:
        return {"file": self.file, "outcome": self.outcome, "load_id": self.load_id, "kind": self.validated.kind,
                "new_submissions": self.new_submissions, "unchanged": self.unchanged, "replaced": self.replaced,
                "failure": self.failure, "rows_read": self.validated.rows_read,
                "problems": [p.as_dict() for p in self.validated.problems]}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


class Store:
    """The store in one DuckDB file. Safe to share between threads: each read takes its own cursor."""

    def __init__(self, path: Path | str | None = None, fw: Framework | None = None, read_only: bool = False):
        self.path = Path(path) if path is not None else default_path()
        self.fw = fw or framework()
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(str(self.path), read_only=read_only)
        self._lock = threading.Lock()
        self._live_levels = False
        if not read_only:
            with self._write() as cur:
                cur.execute(SCHEMA)
                cur.execute(measures.TABLE)
                self._sync_reference(cur)
        else:
            # A store written before organisation_levels existed (or under another definition) is read live.
            self._live_levels = self.meta("organisation_levels") != self._levels_key()

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
        the key for caches of query results."""
        return int(self.scalar("SELECT coalesce(max(load_id), 0) FROM load_register WHERE action <> 'download'"))

    def meta(self, name: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", [name])

    def set_meta(self, name: str, value: str) -> None:
        with self._write() as cur:
            cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [name, value])

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file, after a large load."""
        with self._lock:
            self._con.execute("CHECKPOINT")

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
            finally:
                cur.close()

    def _sync_reference(self, cur) -> None:
        """The reference files are the truth: their actions and areas are copied in at every start."""
        cur.execute("DELETE FROM ref_actions")
        cur.executemany("INSERT INTO ref_actions VALUES (?, ?, ?, ?, ?)",
                        [[a.action, a.number, a.title, a.priority_area, a.working_title] for a in self.fw.actions.values()])
        cur.execute("DELETE FROM ref_priority_areas")
        cur.executemany("INSERT INTO ref_priority_areas VALUES (?, ?)",
                        [[area, i + 1] for i, area in enumerate(self.fw.priority_areas)])
        key = self._levels_key()
        if cur.execute("SELECT value FROM meta WHERE key = 'organisation_levels'").fetchone() != (key,):
            measures.refresh(cur)  # a new definition, or actions moved between areas: rebuild every organisation
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('organisation_levels', ?)", [key])

    def _levels_key(self) -> str:
        """What organisation_levels was built under: the definition and the actions' places in the framework."""
        actions = sorted((a.action, a.number, a.priority_area) for a in self.fw.actions.values())
        return hashlib.sha256(repr((measures.DEFINITION, actions)).encode()).hexdigest()[:16]

    def _register(self, cur, *, action: str, done_by: str, file_name=None, file_sha256=None, file_kind=None,
                  outcome: str, new=0, unchanged=0, rows_read=0, rows_loaded=0, errors=0, warnings=0,
                  subject=None, messages=None) -> int:
        load_id = cur.execute("SELECT nextval('load_ids')").fetchone()[0]
        cur.execute("INSERT INTO load_register VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [load_id, _now(), done_by, action, file_name, file_sha256, file_kind, outcome, new, unchanged,
                     rows_read, rows_loaded, errors, warnings, subject,
                     json.dumps(messages or [], ensure_ascii=False, default=str)])
        return load_id

    def _messages(self, validated: ValidatedFile, limit: int = 1000) -> list[str]:
        return [f"{p.severity}: {p.message}" for p in validated.problems[:limit]]

    def plan(self, validated: ValidatedFile, cur=None) -> list[str]:
        """What loading this file would do, in words, before the officer confirms it."""
        return self._plans([validated], cur)[0]

    def _plans(self, files: list[ValidatedFile], cur=None, known: set[str] | None = None) -> list[list[str]]:
        """The plan of each file, worked out with two queries however many files there are."""
        subs = [sub for validated in files for sub in validated.submissions]
        known = self._known_fingerprints(subs, cur) if known is None else known
        codes = sorted({sub.organisation_code for sub in subs})
        current = self._read(cur, """
            SELECT 'maturity' AS part, organisation_code, reporting_year, submission_id, loaded_at, loaded_by, file_name
            FROM current_maturity_submissions WHERE organisation_code IN (SELECT unnest(?::VARCHAR[]))
            UNION ALL
            SELECT 'metrics', organisation_code, reporting_year, submission_id, loaded_at, loaded_by, file_name
            FROM current_metric_submissions WHERE organisation_code IN (SELECT unnest(?::VARCHAR[]))""", [codes, codes]) \
            if codes else pd.DataFrame(columns=["part", "organisation_code", "reporting_year", "submission_id"])
        by_key: dict[tuple, list[dict]] = {}
        for row in current.to_dict("records"):
            by_key.setdefault((row["part"], row["organisation_code"], row["reporting_year"]), []).append(row)
        plans = []
        for validated in files:
            said = []
            for sub in validated.submissions:
                who = f"{sub.organisation_code}'s {year_label(sub.reporting_year)} return"
                if sub.fingerprint() in known:
                    said.append(f"{who} is already in the store; nothing changes")
                    continue
                earlier: dict[int, dict] = {}
                for part, carried in (("maturity", sub.maturity), ("metrics", sub.metrics)):
                    if carried is not None:
                        for row in by_key.get((part, sub.organisation_code, sub.reporting_year), []):
                            earlier[row["submission_id"]] = row
                for row in earlier.values():
                    said.append(f"replaces {who} loaded on {london_time(row['loaded_at']):%d %b %Y %H:%M} "
                                f"by {row['loaded_by']} ({row['file_name']}, submission {row['submission_id']})")
                if not earlier:
                    said.append(f"{who} is new")
            plans.append(said)
        return plans

    def _read(self, cur, sql: str, params: list) -> pd.DataFrame:
        return cur.execute(sql, params).df() if cur is not None else self.query(sql, params)

    def _known_fingerprints(self, subs, cur=None) -> set[str]:
        prints = [sub.fingerprint() for sub in subs]
        if not prints:
            return set()
        found = self._read(cur, "SELECT fingerprint FROM submissions WHERE fingerprint IN (SELECT unnest(?::VARCHAR[]))", [prints])
        return set(found["fingerprint"])

    def load(self, validated: ValidatedFile, data: bytes, loaded_by: Viewer | str) -> LoadOutcome:
        """Load one validated file whole, or not at all, for an officer. Refusals are recorded in the register."""
        return self.load_batch([(validated, data)], loaded_by)[0]

    def load_batch(self, items: list[tuple[ValidatedFile, bytes]], loaded_by: Viewer | str) -> list[LoadOutcome]:
        """Load several validated files, each whole or not at all, for an officer.

        The files that passed their checks go in one transaction (per-file bookkeeping costs more than the
        rows themselves). Should that transaction fail, each file is loaded in a transaction of its own,
        so one failing file never takes the others with it. Refused files are recorded in the register.
        """
        if not loaded_by or not as_viewer(loaded_by).name.strip():
            raise AccessRefused("a load must say who is loading")
        loaded_by = require_officer(loaded_by, "load returns").name
        outcomes: list[LoadOutcome | None] = [None] * len(items)
        refused = [(i, v) for i, (v, _) in enumerate(items) if not v.ok]
        if refused:
            with self._write() as cur:
                for i, validated in refused:
                    load_id = self._register(cur, action="load", done_by=loaded_by, outcome="rejected",
                                             messages=self._messages(validated), **self._counts(validated))
                    outcomes[i] = LoadOutcome(validated.file, "rejected", load_id, validated)
        good = [(i, v, d) for i, (v, d) in enumerate(items) if v.ok]
        if good:
            try:
                with self._write() as cur:
                    results = self._load_in(cur, [(v, d) for _, v, d in good], loaded_by)
                for (i, _, _), result in zip(good, results):
                    outcomes[i] = result
            except Exception as exc:  # the transaction rolled back
                if len(good) > 1:
                    for i, validated, data in good:
                        outcomes[i] = self.load_batch([(validated, data)], loaded_by)[0]
                else:
                    [(i, validated, _)] = good
                    with self._write() as cur:
                        load_id = self._register(cur, action="load", done_by=loaded_by, outcome="failed",
                                                 messages=[f"error: the load failed and nothing was stored ({exc})"],
                                                 **self._counts(validated))
                    outcomes[i] = LoadOutcome(validated.file, "failed", load_id, validated, failure=str(exc))
        return outcomes

    @staticmethod
    def _counts(validated: ValidatedFile) -> dict:
        return dict(file_name=validated.file, file_sha256=validated.sha256, file_kind=validated.kind,
                    rows_read=validated.rows_read, errors=len(validated.errors), warnings=len(validated.warnings))

    def _load_in(self, cur, items: list[tuple[ValidatedFile, bytes]], loaded_by: str) -> list[LoadOutcome]:
        now = _now()
        files = [validated for validated, _ in items]
        known = self._known_fingerprints([sub for v in files for sub in v.submissions], cur)
        plans = self._plans(files, cur, known)
        load_ids = sorted(r[0] for r in cur.execute("SELECT nextval('load_ids') FROM range(?)", [len(items)]).fetchall())
        learning = {}
        for validated in files:
            for kind_rows, table in ((validated.events, "learning_events"), (validated.attendance, "attendance"),
                                     (validated.register, "organisation_register")):
                if kind_rows:
                    learning[(id(validated), table)] = content_fingerprint(canonical_rows(kind_rows, leave_out=("source_row",)))
        if learning:
            found = cur.execute("SELECT fingerprint FROM submissions WHERE fingerprint IN (SELECT unnest(?::VARCHAR[]))",
                                [list(learning.values())]).df()
            known |= set(found["fingerprint"])
        wanted = sum(1 for v in files for sub in v.submissions) + len(learning)
        ids = iter(sorted(cur.execute("SELECT nextval('submission_ids'), nextval('precedence_seq') FROM range(?)",
                                      [wanted]).fetchall()))
        subs, maturity, metrics, extra_rows, file_rows, register_rows = [], [], [], {}, {}, []
        touched: set[str] = set()
        results = []
        for (validated, data), plan, load_id in zip(items, plans, load_ids):
            result = LoadOutcome(validated.file, validated.outcome, load_id, validated)
            result.replaced = [p for p in plan if p.startswith("replaces")]
            loaded_rows = 0
            for sub in validated.submissions:
                fingerprint = sub.fingerprint()
                if fingerprint in known:
                    result.unchanged.append(f"{sub.organisation_code} {year_label(sub.reporting_year)}")
                    continue
                known.add(fingerprint)  # the same content twice in one batch is still one submission
                sid, precedence = next(ids)
                rows = len(sub.maturity or []) + len(sub.metrics or [])
                subs.append([sid, validated.kind, sub.organisation_code, sub.reporting_year, fingerprint, validated.sha256,
                             validated.file, load_id, loaded_by, now, sub.maturity is not None, sub.metrics is not None,
                             precedence, *(sub.details.get(d) for d in DETAILS), rows])
                maturity += [{"submission_id": sid, **r} for r in sub.maturity or []]
                metrics += [{"submission_id": sid, **r} for r in sub.metrics or []]
                loaded_rows += rows
                result.new_submissions.append(sid)
                touched.add(sub.organisation_code)
            for kind_rows, table in ((validated.events, "learning_events"), (validated.attendance, "attendance"),
                                     (validated.register, "organisation_register")):
                if not kind_rows:
                    continue
                fingerprint = learning[(id(validated), table)]
                if fingerprint in known:
                    result.unchanged.append(validated.file)
                    continue
                known.add(fingerprint)
                sid, precedence = next(ids)
                subs.append([sid, validated.kind, None, None, fingerprint, validated.sha256, validated.file, load_id, loaded_by,
                             now, False, False, precedence, *([None] * len(DETAILS)), len(kind_rows)])
                extra_rows.setdefault(table, []).extend({"submission_id": sid, **r} for r in kind_rows)
                result.new_submissions.append(sid)
                loaded_rows += len(kind_rows)
                if table == "organisation_register":
                    touched.update(row["organisation_code"] for row in kind_rows)
            if result.new_submissions:
                file_rows.setdefault(validated.sha256, [validated.sha256, validated.file, len(data), data, now])
            else:
                result.outcome = "already received"
            register_rows.append([load_id, now, loaded_by, "load", validated.file, validated.sha256, validated.kind,
                                  result.outcome, len(result.new_submissions), len(result.unchanged), validated.rows_read,
                                  loaded_rows, len(validated.errors), len(validated.warnings), None,
                                  json.dumps(self._messages(validated) + plan, ensure_ascii=False)])
            results.append(result)
        if subs:
            cur.executemany("INSERT INTO submissions VALUES (" + ", ".join("?" * 20) + ")", subs)
            self._insert(cur, "maturity_scores", maturity)
            self._insert(cur, "metric_values", metrics)
            for table, rows in extra_rows.items():
                self._insert(cur, table, rows)
            new_files = [row for sha, row in file_rows.items()
                         if not cur.execute("SELECT 1 FROM files WHERE file_sha256 = ?", [sha]).fetchone()]
            if new_files:
                cur.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?)", new_files)
            self._refresh_organisations(cur, sorted(touched), now)
            measures.refresh(cur, sorted(touched))
        cur.executemany("INSERT INTO load_register VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", register_rows)
        return results

    def _insert(self, cur, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        frame = pd.DataFrame(rows)
        columns = [c[0] for c in cur.execute(f"SELECT * FROM {table} LIMIT 0").description]  # noqa: S608 - fixed names
        frame = frame.reindex(columns=columns)
        cur.register("incoming", frame)
        try:
            cur.execute(f"INSERT INTO {table} SELECT * FROM incoming")  # noqa: S608 - fixed names
        finally:
            cur.unregister("incoming")

    def _refresh_organisations(self, cur, codes: list[str], now: dt.datetime) -> None:
        """The register of organisations holds each one's latest known details.

        Entries of the GLA's organisation register come first, for the details they give; then
        returns, the latest reporting year first, and within a year the highest precedence, which
        is the current return (a restore raises the precedence of the one restored).
        """
        if not codes:
            return
        picks = ", ".join(f"first(d.{d} ORDER BY d.rank_year DESC, d.precedence DESC) FILTER (WHERE d.{d} IS NOT NULL)"
                          for d in DETAILS)
        columns = ", ".join(DETAILS)
        cur.execute(f"""
            WITH d AS (
                SELECT organisation_code, reporting_year AS rank_year, precedence, {columns}
                FROM submissions WHERE organisation_code IN (SELECT unnest(?::VARCHAR[]))
                UNION ALL
                SELECT r.organisation_code, 9999 AS rank_year, s.precedence, {", ".join("r." + d for d in DETAILS)}
                FROM organisation_register r JOIN submissions s USING (submission_id)
                WHERE r.organisation_code IN (SELECT unnest(?::VARCHAR[])))
            INSERT OR REPLACE INTO organisations
            SELECT d.organisation_code, {picks}, coalesce(any_value(o.first_loaded_at), ?), ?
            FROM d LEFT JOIN organisations o USING (organisation_code)
            GROUP BY d.organisation_code""", [codes, codes, now, now])  # noqa: S608 - column names are fixed

    def restore(self, submission_id: int, restored_by: Viewer | str) -> str:
        """Make an earlier return current again, for an officer. The register gains a row; nothing is deleted."""
        if not restored_by or not as_viewer(restored_by).name.strip():
            raise AccessRefused("a restore must say who is restoring")
        restored_by = require_officer(restored_by, "restore returns").name
        with self._write() as cur:
            row = cur.execute("SELECT organisation_code, reporting_year, file_name FROM submissions WHERE submission_id = ?",
                              [int(submission_id)]).fetchone()
            if row is None:
                raise NotFound(f"there is no submission {submission_id}")
            code, year, file_name = row
            if year is None:
                raise NotFound(f"submission {submission_id} is a learning file, not an organisation's return")
            cur.execute("UPDATE submissions SET precedence = nextval('precedence_seq') WHERE submission_id = ?", [int(submission_id)])
            self._refresh_organisations(cur, [code], _now())
            measures.refresh(cur, [code])
            said = f"restored submission {submission_id} ({file_name}) as {code}'s current {year_label(year)} return"
            self._register(cur, action="restore", done_by=restored_by, file_name=file_name, outcome="restored",
                           subject=str(submission_id), messages=[said])
        return said

    def record_download(self, downloaded_by: Viewer | str, what: str) -> None:
        """Organisation-level downloads are recorded: who, when, what."""
        with self._write() as cur:
            self._register(cur, action="download", done_by=as_viewer(downloaded_by).name, outcome="downloaded", subject=what)

    # -- history and traceability ------------------------------------------
    def history(self, viewer: Viewer | str, organisation_code: str | None = None, reporting_year: int | None = None) -> pd.DataFrame:
        require_officer(viewer, "see the history of returns")
        sql = ("SELECT submission_id, organisation_code, reporting_year, "
               "coalesce(h.organisation_name, o.organisation_name) AS organisation_name, file_kind, file_name, "
               "loaded_by, loaded_at, rows, status, fingerprint, file_sha256 "
               "FROM submission_history h LEFT JOIN organisations o USING (organisation_code) WHERE 1=1")
        params: list = []
        if organisation_code:
            sql += " AND organisation_code = ?"
            params.append(organisation_code)
        if reporting_year is not None:
            sql += " AND reporting_year = ?"
            params.append(int(reporting_year))
        return self.query(sql + " ORDER BY loaded_at DESC, submission_id DESC", params)

    def register(self, viewer: Viewer | str) -> pd.DataFrame:
        """The load register: who loaded, restored or downloaded what (it names organisations' files)."""
        require_officer(viewer, "see the load register")
        return self.query("SELECT * FROM load_register ORDER BY load_id")

    def raw_file(self, viewer: Viewer | str, submission_id: int) -> tuple[str, bytes]:
        """The file exactly as it was sent, for the submission given."""
        require_officer(viewer, "download the files partners sent")
        cur = self.cursor()
        try:
            row = cur.execute("SELECT f.file_name, f.content FROM submissions s JOIN files f USING (file_sha256) "
                              "WHERE s.submission_id = ?", [int(submission_id)]).fetchone()
        finally:
            cur.close()
        if row is None:
            raise NotFound(f"there is no submission {submission_id}")
        return row[0], bytes(row[1])

    def counts(self) -> dict[str, int]:
        """Headline counts of the current returns."""
        row = self.row("""
            SELECT (SELECT count(DISTINCT organisation_code) FROM current_maturity_submissions),
                   (SELECT count(*) FROM current_maturity_submissions),
                   (SELECT count(DISTINCT reporting_year) FROM current_maturity_submissions),
                   (SELECT count(*) FROM current_maturity WHERE maturity_level IS NOT NULL),
                   (SELECT count(*) FROM current_learning_events),
                   (SELECT max(reporting_year) FROM current_maturity_submissions)""")
        return {"organisations": row[0], "returns": row[1], "reporting_years": row[2], "maturity_scores": row[3],
                "learning_events": row[4], "latest_year": row[5]}


def load_files(store: Store, files: list[tuple[str, bytes]], loaded_by: Viewer | str, fw: Framework | None = None,
               progress=None, batch: int = 200) -> list[LoadOutcome]:
    """Validate and load several files, each whole or not at all; a bad one never blocks the others.

    Files are validated one by one (with progress), then loaded in batches of `batch` files.
    """
    from .validation import validate_bytes
    require_officer(loaded_by, "load returns")
    checked = []
    for index, (name, data) in enumerate(files):
        checked.append((validate_bytes(name, data, fw or store.fw), data))
        if progress:
            progress(index + 1, len(files), name)
    return load_validated(store, checked, loaded_by, batch=batch)


def load_validated(store: Store, checked: list[tuple[ValidatedFile, bytes]], loaded_by: Viewer | str, progress=None,
                   batch: int = 200) -> list[LoadOutcome]:
    """The one way files are loaded, from the command line and the upload page alike: in batches of `batch` files,
    each file whole or not at all (see `Store.load_batch`). `progress(done, total, last file)` after each batch."""
    outcomes: list[LoadOutcome] = []
    for start in range(0, len(checked), batch):
        part = checked[start:start + batch]
        outcomes += store.load_batch(part, loaded_by)
        if progress:
            progress(len(outcomes), len(checked), part[-1][0].file)
    return outcomes
