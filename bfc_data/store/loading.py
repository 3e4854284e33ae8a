"""Loading validated files into the store: each file whole or not at all, one submission per content, the
current return per organisation and year decided by precedence, restores raising an earlier one again.

A rejected or failing file leaves every data table exactly as it was, and only the load register gains a
row saying so. `load_validated` is the one way files are loaded, from the command line and the upload page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from bfc_data.access import AccessRefused, Viewer, as_viewer, require_officer
from bfc_data.intake.fingerprints import canonical_rows
from bfc_data.intake.fingerprints import fingerprint as content_fingerprint
from bfc_data.intake.validated import ColumnRows, ValidatedFile
from bfc_data.intake.values import london_time, year_label
from bfc_data.reference.framework import Framework
from bfc_data.store import measures
from bfc_data.store.database import DETAILS, NotFound, _now


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
        return {"file": self.file, "outcome": self.outcome, "load_id": self.load_id, "kind": self.validated.file_kind,
                "new_submissions": self.new_submissions, "unchanged": self.unchanged, "replaced": self.replaced,
                "failure": self.failure, "rows_read": self.validated.rows_read,
                "problems": [p.as_dict() for p in self.validated.problems]}


class Loading:
    """Loads, plans and restores; mixed into `Store`."""

    def load_plan(self, validated: ValidatedFile, cur=None) -> list[str]:
        """What loading this file would do, in words, before the officer confirms it."""
        return self._load_plans([validated], cur)[0]

    def _load_plans(self, files: list[ValidatedFile], cur=None, known: set[str] | None = None) -> list[list[str]]:
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

    def _known_fingerprints(self, subs, cur=None) -> set[str]:
        prints = [sub.fingerprint() for sub in subs]
        if not prints:
            return set()
        found = self._read(cur, "SELECT fingerprint FROM submissions WHERE fingerprint IN (SELECT unnest(?::VARCHAR[]))", [prints])
        return set(found["fingerprint"])

    def load(self, validated: ValidatedFile, data: bytes, loaded_by: Viewer | str) -> LoadOutcome:
        """Load one validated file whole, or not at all, for an officer. Refusals are recorded in the register."""
        return self.load_batch([(validated, data)], loaded_by)[0]

    def record_refused(self, refused: list[ValidatedFile], done_by: Viewer | str) -> list[LoadOutcome]:
        """Enter refused files in the load register, with their problems, as soon as they are found."""
        done_by = require_officer(done_by, "load returns").name
        outcomes = []
        if refused:
            with self._write() as cur:
                for validated in refused:
                    load_id = self._register(cur, action="load", done_by=done_by, outcome="rejected",
                                             messages=self._messages(validated), **self._counts(validated))
                    outcomes.append(LoadOutcome(validated.file, "rejected", load_id, validated))
        return outcomes

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
        for (i, _), outcome in zip(refused, self.record_refused([v for _, v in refused], loaded_by)):
            outcomes[i] = outcome
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
        return dict(file_name=validated.file, file_sha256=validated.sha256, file_kind=validated.file_kind,
                    rows_read=validated.rows_read, errors=len(validated.errors), warnings=len(validated.warnings))

    def _load_in(self, cur, items: list[tuple[ValidatedFile, bytes]], loaded_by: str) -> list[LoadOutcome]:
        now = _now()
        files = [validated for validated, _ in items]
        known = self._known_fingerprints([sub for v in files for sub in v.submissions], cur)
        plans = self._load_plans(files, cur, known)
        load_ids = sorted(r[0] for r in cur.execute("SELECT nextval('load_ids') FROM range(?)", [len(items)]).fetchall())
        learning = {}
        for validated in files:
            for kind_rows, table in ((validated.events, "learning_events"), (validated.attendance, "attendance"),
                                     (validated.organisation_register, "organisation_register")):
                if kind_rows:
                    learning[(id(validated), table)] = content_fingerprint(canonical_rows(kind_rows, leave_out=("source_row",)))
        if learning:
            found = cur.execute("SELECT fingerprint FROM submissions WHERE fingerprint IN (SELECT unnest(?::VARCHAR[]))",
                                [list(learning.values())]).df()
            known |= set(found["fingerprint"])
        wanted = sum(1 for v in files for sub in v.submissions) + len(learning)
        allocated = sorted(cur.execute("SELECT nextval('submission_ids'), nextval('precedence_seq') FROM range(?)",
                                       [wanted]).fetchall())
        ids = iter(allocated)
        subs, maturity, metrics, extra_rows, file_rows, register_rows = [], [], [], {}, {}, []
        touched: set[str] = set()
        returned: set[tuple[str, int]] = set()  # (organisation, reporting year) of the new returns that carry levels
        results = []
        for (validated, data), load_plan, load_id in zip(items, plans, load_ids):
            result = LoadOutcome(validated.file, validated.outcome, load_id, validated)
            result.replaced = [p for p in load_plan if p.startswith("replaces")]
            loaded_rows = 0
            for sub in validated.submissions:
                fingerprint = sub.fingerprint()
                if fingerprint in known:
                    result.unchanged.append(f"{sub.organisation_code} {year_label(sub.reporting_year)}")
                    continue
                known.add(fingerprint)  # the same content twice in one batch is still one submission
                sid, precedence = next(ids)
                rows = len(sub.maturity or []) + len(sub.metrics or [])
                subs.append([sid, validated.file_kind, sub.organisation_code, sub.reporting_year, fingerprint, validated.sha256,
                             validated.file, load_id, loaded_by, now, sub.maturity is not None, sub.metrics is not None,
                             precedence, *(sub.details.get(d) for d in DETAILS), rows])
                maturity.append((sid, sub.maturity or []))
                metrics.append((sid, sub.metrics or []))
                loaded_rows += rows
                result.new_submissions.append(sid)
                touched.add(sub.organisation_code)
                if sub.maturity is not None:
                    returned.add((sub.organisation_code, sub.reporting_year))
            for kind_rows, table in ((validated.events, "learning_events"), (validated.attendance, "attendance"),
                                     (validated.organisation_register, "organisation_register")):
                if not kind_rows:
                    continue
                fingerprint = learning[(id(validated), table)]
                if fingerprint in known:
                    result.unchanged.append(validated.file)
                    continue
                known.add(fingerprint)
                sid, precedence = next(ids)
                subs.append([sid, validated.file_kind, None, None, fingerprint, validated.sha256, validated.file, load_id, loaded_by,
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
            register_rows.append([load_id, now, loaded_by, "load", validated.file, validated.sha256, validated.file_kind,
                                  result.outcome, len(result.new_submissions), len(result.unchanged), validated.rows_read,
                                  loaded_rows, len(validated.errors), len(validated.warnings), None,
                                  json.dumps(self._messages(validated) + load_plan, ensure_ascii=False)])
            results.append(result)
        if subs:
            # Organisations with no submission before this load: every row of theirs is in it (measures.refresh `new`).
            earlier = set(cur.execute("SELECT DISTINCT organisation_code FROM submissions "
                                      "WHERE organisation_code IN (SELECT unnest(?::VARCHAR[]))", [sorted(touched)]).df()
                          ["organisation_code"]) if touched else set()
            bands = self._size_bands(cur, earlier)
            self._insert(cur, "submissions", subs)
            self._insert(cur, "maturity_scores", _columns(maturity))
            self._insert(cur, "metric_values", _columns(metrics))
            for table, rows in extra_rows.items():
                self._insert(cur, table, rows)
            stored = set(cur.execute("SELECT file_sha256 FROM files WHERE file_sha256 IN (SELECT unnest(?::VARCHAR[]))",
                                     [list(file_rows)]).df()["file_sha256"]) if file_rows else set()
            self._insert(cur, "files", [row for sha, row in file_rows.items() if sha not in stored])
            self._refresh_organisations(cur, sorted(touched), now)
            # An organisation seen before changes only in the years of its new returns, unless the register's size band
            # moved: rows from returns that gave none take the register's, in every year (measures.CUT_COLUMNS).
            rebanded = {code for code, band in self._size_bands(cur, earlier).items() if band != bands.get(code)}
            returns = sorted((code, year) for code, year in returned if code in earlier and code not in rebanded)
            measures.refresh(cur, sorted(rebanded), first_id=allocated[0][0], new=sorted(touched - earlier), returns=returns)
        self._insert(cur, "load_register", register_rows)
        return results

    def _insert(self, cur, table: str, rows: list[dict] | list[list] | dict[str, list]) -> None:
        """Rows into a table in one statement, through a DataFrame: dicts by column name, lists in the table's order,
        or one list per column by name."""
        if not rows:
            return
        columns = [c[0] for c in cur.execute(f"SELECT * FROM {table} LIMIT 0").description]  # noqa: S608 - fixed names
        if isinstance(rows, dict):  # many rows: Arrow builds the columns several times faster than pandas
            frame = pa.table({name: rows.get(name, pa.nulls(len(rows["submission_id"]))) for name in columns})
        elif isinstance(rows[0], dict):
            frame = pd.DataFrame(rows).reindex(columns=columns)
        else:  # few rows of mixed kinds: kept as Python values, which DuckDB casts to the column's type
            frame = pd.DataFrame(rows, columns=columns, dtype=object)
        cur.register("incoming", frame)
        cur.execute(f"INSERT INTO {table} SELECT * FROM incoming")  # noqa: S608 - fixed names
        # Not in a `finally`: after a failed insert the transaction accepts only its rollback, and unregistering
        # would raise over the insert's own reason. The write's cursor, closed after the rollback, lets the frame go.
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

    @staticmethod
    def _size_bands(cur, codes: set[str]) -> dict[str, str | None]:
        if not codes:
            return {}
        return dict(cur.execute("SELECT organisation_code, size_band FROM organisations "
                                "WHERE organisation_code IN (SELECT unnest(?::VARCHAR[]))", [sorted(codes)]).fetchall())

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


def _columns(parts: list[tuple[int, list[dict] | ColumnRows]]) -> dict[str, list]:
    """Each submission's rows as one list per column, its submission_id on every row: built column by column, which
    costs a fraction of a dict per row (rows a worker sent by column are joined as they came)."""
    pieces = [(sid, part if isinstance(part, ColumnRows) else ColumnRows(part)) for sid, part in parts if len(part)]
    if not pieces:
        return {}
    columns = {"submission_id": [sid for sid, part in pieces for _ in range(len(part))]}
    for name in pieces[0][1].keys:  # every row of a part has the same keys (return_rows)
        columns[name] = [value for _, part in pieces for value in part.column(name)]
    return columns


def load_files(store, files: list[tuple[str, bytes]], loaded_by: Viewer | str, fw: Framework | None = None,
               progress=None, batch: int = 200) -> list[LoadOutcome]:
    """Validate and load several files, each whole or not at all; a bad one never blocks the others.

    Files are validated (with progress; a large batch on every core, see `each_validated`) and loaded in batches of
    `batch` files, each batch as soon as its files are checked, while the next are being checked.
    """
    from bfc_data.intake.validation import each_validated
    require_officer(loaded_by, "load returns")
    checked = zip(each_validated(files, fw or store.fw, progress=progress), (data for _, data in files))
    return load_validated(store, checked, loaded_by, batch=batch, total=len(files))


def load_validated(store, checked: Iterable[tuple[ValidatedFile, bytes]], loaded_by: Viewer | str, progress=None,
                   batch: int = 200, total: int | None = None) -> list[LoadOutcome]:
    """The one way files are loaded, from the command line and the upload page alike: in batches of `batch` files,
    each file whole or not at all (see `Store.load_batch`), each batch as soon as `checked` has given its files (so
    a generator's next files can be checked meanwhile). `progress(done, total, last file)` after each batch."""
    checked = iter(checked) if total is not None else list(checked)
    total = len(checked) if total is None else total
    outcomes: list[LoadOutcome] = []
    part: list[tuple[ValidatedFile, bytes]] = []
    with store.checkpoint_at_end() if total > batch else nullcontext():
        for item in checked:
            part.append(item)
            if len(part) == batch or len(outcomes) + len(part) == total:
                outcomes += store.load_batch(part, loaded_by)
                if progress:
                    progress(len(outcomes), total, part[-1][0].file)
                part = []
        if part:  # `total` was more than `checked` gave
            outcomes += store.load_batch(part, loaded_by)
    return outcomes
