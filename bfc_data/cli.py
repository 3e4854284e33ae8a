"""`python -m bfc_data`: the template, sample data, validation, loading, history, restore, summaries, the board pack
and partners' feedback reports.

Exit codes: 0 all good; 1 a file was rejected (the others still load, each whole or not at all); 2 cannot run (the
store is in use by another program, missing, damaged or not a store; a file cannot be written); 3 bad arguments.
"""

from __future__ import annotations

import argparse
import getpass
import io
import json
import sys
from pathlib import Path

import pandas as pd

from bfc_data import analysis
from bfc_data.intake.problems import KINDS, problems_frame
from bfc_data.intake.values import BadValue, reporting_year, year_label
from bfc_data.reference.framework import ReferenceError, framework

OK, REJECTED, CANNOT_RUN, BAD_ARGUMENTS = 0, 1, 2, 3


class UsageError(Exception):
    """The command was asked for something it cannot do as asked: a bad option, year, file or code."""


class CannotRun(Exception):
    """The command cannot run: its store cannot be opened or used, or what it writes cannot be written."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bfc_data", description="Building a Fairer City returns: check, load and summarise.")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("template", help="write the blank Excel return")
    p.add_argument("out", help="where to write the .xlsx")

    p = commands.add_parser("sample", help="write deterministic synthetic returns")
    p.add_argument("out_dir")
    p.add_argument("--organisations", type=int, default=120)
    p.add_argument("--excel-returns", type=int, default=12, help="how many latest-year returns come as Excel files")
    p.add_argument("--seed", type=int, default=2022)

    p = commands.add_parser("validate", help="check files against the return contract without loading them")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="machine-readable report")

    p = commands.add_parser("load", help="validate and load files into the store")
    p.add_argument("files", nargs="+")
    p.add_argument("--db", required=True)
    # --by (the older spelling) is kept so that existing scripts still run; summary's --by is a dimension.
    p.add_argument("--loaded-by", "--by", dest="loaded_by", default=None, help="who is loading (default: your user name)")
    p.add_argument("--json", action="store_true", help="machine-readable report")

    p = commands.add_parser("history", help="list submissions, newest first")
    p.add_argument("--db", required=True)
    p.add_argument("--organisation", default=None, help="an organisation code, such as ORG-0042")
    p.add_argument("--year", default=None, help="a reporting year, such as 2024-25")

    p = commands.add_parser("restore", help="make an earlier submission current again")
    p.add_argument("submission", type=int)
    p.add_argument("--db", required=True)
    p.add_argument("--restored-by", "--by", dest="restored_by", default=None, help="who is restoring (default: your user name)")

    p = commands.add_parser("boardpack", help="write the board pack (.pptx) for a reporting year")
    p.add_argument("out", help="where to write the .pptx")
    p.add_argument("--db", required=True)
    p.add_argument("--year", default=None, help="any accepted year form; default the latest in the store")
    p.add_argument("--members", action="store_true", help="the members' version: small groups hidden")

    p = commands.add_parser("reports", help="write partners' feedback reports (PDF) for a reporting year")
    p.add_argument("--db", required=True)
    p.add_argument("--year", default=None, help="any accepted year form; default the latest in the store")
    p.add_argument("--out", required=True, help="the folder to write the reports to")
    p.add_argument("--organisation", action="append", default=None, help="only this organisation's code (repeatable)")
    p.add_argument("--made-by", dest="made_by", default=None, help="who is making them (default: your user name)")

    p = commands.add_parser("backup", help="write a consistent copy of the store to a new folder (works while the dashboard runs)")
    p.add_argument("out", help="a new folder for the backup")
    p.add_argument("--db", required=True)

    p = commands.add_parser("restore-backup", help="build a new store from a backup folder")
    p.add_argument("backup", help="the backup folder")
    p.add_argument("--db", required=True, help="the new store file to create (it must not exist yet)")

    p = commands.add_parser("summary", help="mean maturity level by a dimension, over the current returns")
    p.add_argument("--db", required=True)
    p.add_argument("--by", required=True, choices=list(analysis.DIMENSIONS))
    p.add_argument("--year", default=None, help="any accepted year form; default the latest in the store")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    return parser


def _store(path: str, read_only: bool = False):
    from bfc_data.store import Store
    from bfc_data.store import StoreUnavailable
    from bfc_data.store.backup import open_for_reading
    if read_only and not Path(path).exists():
        raise CannotRun(f"there is no store at {path}")
    try:
        if not read_only:
            return Store(path)
        store, note = open_for_reading(Path(path), kind=Store)
    except StoreUnavailable as unavailable:
        raise CannotRun(str(unavailable)) from None
    if note:
        print(f"note: {note}", file=sys.stderr)
    return store


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return reporting_year(text)
    except BadValue as bad:
        raise UsageError(f"--year '{text}': expected {bad.expected}") from None


def _files(names: list[str]) -> list[tuple[str, bytes]]:
    files = []
    for name in names:
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"no such file: {name}")
        files.append((path.name, path.read_bytes()))
    return files


def _print_problems(validated, out, examples: int = 20) -> None:
    """The file's outcome, then its problems grouped by kind: title, count, what to do, and where."""
    print(f"{validated.file}: {validated.outcome}" + (f" ({validated.file_kind})" if validated.file_kind else ""), file=out)
    frame = problems_frame(validated.problems)
    for (severity, title), group in frame.groupby(["severity", "title"], sort=False):
        advice = KINDS[group["kind"].iloc[0]][2]
        print(f"  {severity}: {title} ({len(group)}). {advice}", file=out)
        for message in group["message"].head(examples):
            print(f"    - {message}", file=out)
        if len(group) > examples:
            print(f"    … and {len(group) - examples} more", file=out)


def _progress(total: int):
    """A progress bar on stderr when run in a terminal and there is enough to wait for."""
    if total < 5 or not sys.stderr.isatty():
        return None

    def show(done: int, of: int, name: str) -> None:
        width = 30
        filled = int(width * done / of)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{of} {name[:40]:<40}")
        if done == of:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def run(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return OK if exit_.code == 0 else BAD_ARGUMENTS
    import duckdb
    try:
        return _dispatch(args, out)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_ARGUMENTS
    except CannotRun as error:
        print(f"error: {error}", file=sys.stderr)
        return CANNOT_RUN
    except ReferenceError as error:
        print(f"error in the reference files: {error}", file=sys.stderr)
        return CANNOT_RUN
    except duckdb.Error as error:  # the store failed part-way (a damaged file found late): said, not a traceback
        print(f"error: the store could not be read or written ({str(error).splitlines()[0][:200]}); nothing was "
              "changed by the failed step. Restore the latest backup if this happens again.", file=sys.stderr)
        return CANNOT_RUN
    except BrokenPipeError:  # the reader of our output went away (| head): nothing more to say
        return OK
    except OSError as error:
        print(f"error: {error.strerror or error}" + (f": {error.filename}" if error.filename else ""), file=sys.stderr)
        return CANNOT_RUN


def _dispatch(args, out) -> int:
    if args.command == "template":
        from bfc_data.intake.template import write_template
        path = write_template(args.out)
        print(f"wrote the blank return to {path}", file=out)
        return OK
    if args.command == "sample":
        from bfc_data.sample import write_sample
        written = write_sample(args.out_dir, args.organisations, args.excel_returns, args.seed)
        print(f"wrote {len(written)} files to {args.out_dir}", file=out)
        return OK
    if args.command == "validate":
        from bfc_data.intake.validation import validate_bytes
        fw = framework()
        results = [validate_bytes(name, data, fw) for name, data in _files(args.files)]
        if args.json:
            json.dump([{"file": r.file, "kind": r.file_kind, "outcome": r.outcome, "rows_read": r.rows_read,
                        "submissions": len(r.submissions), "problems": [p.as_dict() for p in r.problems]}
                       for r in results], out, indent=2, default=str)
            print(file=out)
        else:
            for result in results:
                _print_problems(result, out)
        return REJECTED if any(not r.ok for r in results) else OK
    if args.command == "load":
        from bfc_data.store import load_files
        files = _files(args.files)
        with _store(args.db) as store:
            outcomes = load_files(store, files, args.loaded_by or getpass.getuser(), progress=_progress(len(files)))
        if args.json:
            json.dump([o.as_dict() for o in outcomes], out, indent=2, default=str)
            print(file=out)
        else:
            for outcome in outcomes:
                if outcome.validated.problems:
                    _print_problems(outcome.validated, out)
                said = f"{outcome.file}: {outcome.outcome}"
                if outcome.new_submissions:
                    said += f", {len(outcome.new_submissions)} new submission(s)"
                if outcome.unchanged:
                    said += f", {len(outcome.unchanged)} already received"
                if outcome.failure:
                    said += f": {outcome.failure}"
                print(said, file=out)
                for line in outcome.replaced:
                    print(f"  {line}", file=out)
        return REJECTED if any(o.rejected for o in outcomes) else OK
    if args.command == "history":
        with _store(args.db, read_only=True) as store:
            frame = store.history(getpass.getuser(), args.organisation.upper() if args.organisation else None, _year(args.year))
        if frame.empty:
            print("no submissions match", file=out)
            return OK
        # Learning, attendance and register files have no reporting year: shown blank.
        frame["reporting_year"] = frame["reporting_year"].map(lambda y: "" if pd.isna(y) else year_label(int(y)))
        frame = frame.drop(columns=["fingerprint", "file_sha256"]).astype(object).where(frame.notna(), "")
        print(frame.to_string(index=False), file=out)
        return OK
    if args.command == "restore":
        from bfc_data.store import NotFound
        with _store(args.db) as store:
            try:
                print(store.restore(args.submission, args.restored_by or getpass.getuser()), file=out)
            except NotFound as missing:
                raise UsageError(str(missing)) from None
        return OK
    if args.command == "boardpack":
        from bfc_data.access import MEMBER, Viewer, operator
        from bfc_data.outputs.boardpack import build
        with _store(args.db, read_only=True) as store:
            year = _year(args.year) or analysis.latest_year(store)
            if year is None:
                raise CannotRun("the store has no returns yet")
            who = Viewer(getpass.getuser(), MEMBER) if args.members else operator(getpass.getuser())
            data = build(store, who, year)
        Path(args.out).write_bytes(data)
        print(f"wrote the {year_label(year)} board pack to {args.out}", file=out)
        return OK
    if args.command == "reports":
        import zipfile

        from bfc_data.access import operator
        from bfc_data.outputs import feedback_report
        from bfc_data.store import NotFound
        with _store(args.db) as store:
            year = _year(args.year) or analysis.latest_year(store)
            if year is None:
                raise CannotRun("the store has no returns yet")
            try:
                data, count = feedback_report.for_year(store, operator(args.made_by or getpass.getuser()), year,
                                                       args.organisation)
            except NotFound as exc:
                raise UsageError(str(exc)) from None
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                (folder / name).write_bytes(archive.read(name))
        print(f"wrote {count} feedback report{'s' if count != 1 else ''} for {year_label(year)} to {folder}", file=out)
        return OK
    if args.command == "backup":
        from bfc_data.store import StoreUnavailable
        from bfc_data.store.backup import backup
        if not Path(args.db).exists():
            raise CannotRun(f"there is no store at {args.db}")
        if Path(args.out).exists():
            raise UsageError(f"{args.out} already exists; give a new folder for the backup")
        try:
            counts, note = backup(args.db, args.out)
        except StoreUnavailable as unavailable:
            raise CannotRun(str(unavailable)) from None
        if note:
            print(f"note: {note}", file=sys.stderr)
        print(f"backed up {counts['submissions']} submissions ({sum(counts.values())} rows in {len(counts)} tables) to "
              f"{args.out}", file=out)
        return OK
    if args.command == "restore-backup":
        from bfc_data.store.backup import MANIFEST, restore_backup
        if not (Path(args.backup) / MANIFEST).exists():
            raise UsageError(f"{args.backup} is not a BFC backup (it has no {MANIFEST})")
        if Path(args.db).exists():
            raise UsageError(f"{args.db} already exists; restore into a new file, then swap it in with the dashboard stopped")
        counts = restore_backup(args.backup, args.db)
        print(f"restored {counts['submissions']} submissions ({sum(counts.values())} rows) into {args.db}", file=out)
        return OK
    if args.command == "summary":
        year = _year(args.year)
        with _store(args.db, read_only=True) as store:
            frame = analysis.mean_level_by(store, args.by, year)
        if args.by == "reporting_year":
            frame["reporting_year"] = frame["reporting_year"].map(lambda y: year_label(int(y)))
        if args.format == "csv":
            frame.to_csv(out, index=False, lineterminator="\n")
        elif args.format == "json":
            json.dump(frame.to_dict("records"), out, indent=2, default=str)
            print(file=out)
        else:
            print("no current returns match" if frame.empty else frame.to_string(index=False), file=out)
        return OK
    raise UsageError(f"unknown command {args.command}")  # pragma: no cover - argparse forbids it


def main() -> None:
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:  # the output was piped into `head` and closed early
        code = OK
    sys.exit(code)
