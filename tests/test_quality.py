"""Data-quality warnings over the current returns, each worked out by hand."""

from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row

from bfc_data.analysis import quality
from bfc_data.store import load_files

METRICS_HEADER = ["organisation_code", "reporting_year", "metric", "equality_group", "value"]


def row(code, year, action, group, level):
    return maturity_row(code=code, name=f"Org {code}", sector="Health", year=year, action=action, group=group, level=level)


def test_each_check(store):
    maturity = [
        row("ORG-0001", "2023-24", "A1", "All Londoners", "1"),
        row("ORG-0001", "2024-25", "A1", "All Londoners", "4"),   # jumps 3 levels
        row("ORG-0001", "2024-25", "A2", "Race", "2"),            # no All Londoners row for A2
        row("ORG-0001", "2024-25", "A3", "All Londoners", ""),    # listed with no level
    ] + [row(f"ORG-00{n}", "2024-25", "A1", "All Londoners", "2") for n in range(10, 17)]
    load_files(store, [("m.csv", csv_bytes(MATURITY_CSV_HEADER, maturity))], "t")
    metrics = [["ORG-0001", "2023-24", "LLW_SHARE", "", "40"], ["ORG-0001", "2024-25", "LLW_SHARE", "", "90"]]  # +50 points
    # Health values 10, 80-85 and 90: quartiles 80.75 and 84.25, so three IQRs (10.5) beyond them is 70.25 to 94.75.
    # ORG-0001 at 90 is inside; ORG-0016 at 10 is far from its sector.
    metrics += [[f"ORG-00{n}", "2024-25", "LLW_SHARE", "", str(80 + n - 10)] for n in range(10, 16)]
    metrics += [["ORG-0016", "2024-25", "LLW_SHARE", "", "10"]]
    load_files(store, [("x.csv", csv_bytes(METRICS_HEADER, metrics))], "t")
    found = quality.warnings(store, "test", 2024)
    by_check = {(r["organisation_code"], r["check"]): r["detail"] for _, r in found.iterrows()}
    assert by_check[("ORG-0001", "no All Londoners row")] == "action A2 has levels for some groups but no All Londoners row"
    assert by_check[("ORG-0001", "actions with no level")].startswith("A3 listed with no level")
    assert by_check[("ORG-0001", "level jumped")] == "action A1 went from 1.0 to 4.0 since the year before"
    assert by_check[("ORG-0001", "metric jumped")] == ("Share of staff paid at least the London Living Wage (All Londoners) went from 40 to 90 since the year before")
    assert "LLW_SHARE" not in " ".join(quality.warnings(store, "test")["detail"]), "metric names, never codes"
    far = [k for k in by_check if k[1] == "far from its sector"]
    assert far == [("ORG-0016", "far from its sector")]
    assert quality.warnings(store, "test", 2023).empty


def test_the_all_londoners_rule_gives_the_same_answer_at_intake_and_in_the_store(store):
    # One rule (bfc_data.intake.all_londoners) in two renderings: row by row for a file, grouped by DuckDB for
    # the store. On the same returns they must name the same actions: here ORG-0001's A1 (no All Londoners row)
    # and ORG-0002's A1 (its All Londoners row names a second group); not ORG-0003's A3 (no level: not taking
    # part) nor its A4 (a blank All Londoners row still covers the action).
    from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row

    from bfc_data.intake import all_londoners
    from bfc_data.store import load_files

    def row(code, action, group, level, intersecting=""):
        return maturity_row(code=code, name=f"Org {code}", sector="Health", action=action, group=group, level=level,
                            intersecting=intersecting)
    rows = [row("ORG-0001", "A1", "Race", "2"), row("ORG-0001", "A2", "All Londoners", "3"),
            row("ORG-0002", "A1", "Race", "2"), row("ORG-0002", "A1", "All Londoners", "2", intersecting="Disability"),
            row("ORG-0003", "A3", "Race", ""), row("ORG-0003", "A3", "Disability", ""),
            row("ORG-0003", "A4", "All Londoners", ""), row("ORG-0003", "A4", "Race", "3")]
    [outcome] = load_files(store, [("rule.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    at_intake = {(sub.organisation_code, sub.reporting_year, action) for sub in outcome.validated.submissions
                 for action in all_londoners.missing(sub.maturity)}
    in_sql = store.query(*all_londoners.per_action_checks()).query("taking_part")
    grouped = {(code, int(year), action) for code, year, action in
               in_sql[["organisation_code", "reporting_year", "action"]].itertuples(index=False)}
    warned = {(p.value) for p in outcome.validated.warnings if p.kind == "no_all_londoners"}
    assert at_intake == grouped == {("ORG-0001", 2024, "A1"), ("ORG-0002", 2024, "A1")}
    assert warned == {"A1"}
