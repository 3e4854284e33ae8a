"""The store's audit trail: the load register (every load, refusal, restore and recorded download), the history
of returns with their status, and the files exactly as partners sent them. Organisation-level: officers only."""

from __future__ import annotations

import json

import pandas as pd

from bfc_data.access import Viewer, as_viewer, require_officer
from bfc_data.intake.validated import ValidatedFile
from bfc_data.store.database import NotFound, _now


class Audit:
    """What the store says about its own past; mixed into `Store`."""

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

    def record_download(self, downloaded_by: Viewer | str, what: str) -> None:
        """Organisation-level downloads are recorded: who, when, what."""
        with self._write() as cur:
            self._register(cur, action="download", done_by=as_viewer(downloaded_by).name, outcome="downloaded", subject=what)

    def record_reports(self, made_by: Viewer | str, reporting_year: int, organisation_codes: list[str]) -> None:
        """Partners' feedback reports hold organisation-level figures: each generation is recorded."""
        from bfc_data.intake.values import year_label
        who = require_officer(made_by, "make partners' feedback reports")
        count = len(organisation_codes)
        subject = (f"feedback report {year_label(reporting_year)} for {organisation_codes[0]}" if count == 1 else
                   f"feedback reports {year_label(reporting_year)} for {count} organisations")
        with self._write() as cur:
            self._register(cur, action="feedback reports", done_by=who.name, outcome="generated", new=count,
                           subject=subject, messages=list(organisation_codes))

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

    def load_register(self, viewer: Viewer | str) -> pd.DataFrame:
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
