"""Validation against the contract: each problem names file, sheet, row, column, value and what was expected."""

import pytest
from conftest import MATURITY, MATURITY_CSV_HEADER, METRICS, ORG, csv_bytes, excel_return, maturity_row

from bfc_data.intake.problems import problems_frame, summarise
from bfc_data.intake.validation import validate_bytes


def only_error(result):
    assert len(result.errors) == 1, [p.message for p in result.errors]
    return result.errors[0]


def test_a_good_excel_return():
    result = validate_bytes("brookmere.xlsx", excel_return())
    assert result.ok and result.file_kind == "Excel return" and result.outcome == "accepted"
    [sub] = result.submissions
    assert (sub.organisation_code, sub.reporting_year) == ("ORG-0042", 2024)
    assert sub.details == {"organisation_name": "Brookmere Housing Association", "sector": "Housing association",
                           "size_band": "250–999", "borough": "Hackney", "contact_name": "Sam Lee",
                           "contact_email": "sam.lee@example.org"}
    assert [(r["action"], r["role"], r["equality_group"], r["maturity_level"]) for r in sub.maturity] == [
        ("A1", "All roles", "All Londoners", 3), ("A1", "Employer", "Race", 2), ("A5", "All roles", "All Londoners", 2)]
    assert sub.maturity[1]["support_wanted"] == "Action-learning set"
    assert [(m["metric"], m["equality_group"], m["value"]) for m in sub.metrics] == [
        ("LLW_SHARE", "All Londoners", 92.5), ("PAY_GAP_MEDIAN", "Race", -4.2)]


def test_headers_match_without_case_spacing_or_underscores():
    header = ["ACTION", "role", "equality_group", "Intersecting  Group", "maturity_LEVEL", "evidence", "Next_Step", "support wanted"]
    result = validate_bytes("r.xlsx", excel_return(maturity_header=header))
    assert result.ok and len(result.submissions[0].maturity) == 3


def test_sheet_names_match_loosely_and_metrics_is_optional():
    result = validate_bytes("r.xlsx", excel_return(sheets=("Organisation", "Maturity")))
    assert result.ok and result.submissions[0].metrics is None


@pytest.mark.parametrize("missing", ["Organisation", "Maturity"])
def test_missing_required_sheet(missing):
    sheets = tuple(s for s in ("Organisation", "Maturity", "Metrics") if s != missing)
    problem = only_error(validate_bytes("r.xlsx", excel_return(sheets=sheets)))
    assert problem.kind == "missing_sheet" and problem.sheet == missing
    assert f"sheet '{missing}'" in problem.message


@pytest.mark.parametrize("label", ["Organisation name", "Organisation code", "Sector", "Reporting year"])
def test_required_organisation_value_blank_names_the_label_row(label):
    org = dict(ORG, **{label: ""})
    problem = only_error(validate_bytes("r.xlsx", excel_return(org)))
    row = list(ORG).index(label) + 2
    assert (problem.kind, problem.sheet, problem.row, problem.column) == ("missing_value", "Organisation", row, label)
    assert f"sheet 'Organisation', row {row}, column '{label}'" in problem.message


def test_required_organisation_label_absent():
    org = {k: val for k, val in ORG.items() if k != "Sector"}
    problem = only_error(validate_bytes("r.xlsx", excel_return(org)))
    assert problem.kind == "missing_value" and problem.column == "Sector" and "row labelled 'Sector'" in problem.message


def test_optional_organisation_details_missing_are_warnings():
    org = {k: val for k, val in ORG.items() if k not in ("Contact name", "Borough")}
    result = validate_bytes("r.xlsx", excel_return(org))
    assert result.ok
    assert {p.column for p in result.warnings if p.kind == "missing_optional"} == {"Contact name", "Borough"}


def test_bad_reporting_year_on_organisation_sheet():
    problem = only_error(validate_bytes("r.xlsx", excel_return(dict(ORG, **{"Reporting year": "2024-26"}))))
    assert (problem.kind, problem.row, problem.value) == ("bad_year", 7, "2024-26")
    assert "2024-25" in problem.expected


@pytest.mark.parametrize("column, value, kind", [
    (0, "A99", "unknown_code"), (1, "Landlord", "unknown_code"), (2, "Left-handed", "unknown_code"),
    (4, "Level 7", "out_of_range"), (7, "Coaching", "unknown_code"), (0, None, "missing_value"), (2, "", "missing_value"),
])
def test_bad_maturity_cell_names_sheet_row_column_and_value(column, value, kind):
    maturity = [list(r) for r in MATURITY]
    maturity[1][column] = value
    problem = only_error(validate_bytes("r.xlsx", excel_return(maturity=maturity)))
    from conftest import MATURITY_HEADER
    assert (problem.kind, problem.sheet, problem.row, problem.column) == (kind, "Maturity", 3, MATURITY_HEADER[column])
    assert problem.value == (value or None)
    assert problem.expected
    assert f"r.xlsx, sheet 'Maturity', row 3, column '{MATURITY_HEADER[column]}'" in problem.message


def test_duplicate_row_names_the_later_and_the_earlier_row():
    maturity = MATURITY + [["a1", "all roles", "all londoners", None, 4]]
    problem = only_error(validate_bytes("r.xlsx", excel_return(maturity=maturity)))
    assert problem.kind == "duplicate_row" and problem.row == 5 and "repeats row 2" in problem.message


def test_intersectional_rows_are_not_duplicates():
    maturity = MATURITY + [["A1", "Employer", "Race", "Sex", 1]]
    result = validate_bytes("r.xlsx", excel_return(maturity=maturity))
    assert result.ok
    assert result.submissions[0].maturity[-1]["intersecting_group"] == "Sex"


def test_blank_level_means_not_taking_part():
    maturity = MATURITY + [["A9", "All roles", "All Londoners", None, None], ["A10", "All roles", "All Londoners", None, "N/A"]]
    result = validate_bytes("r.xlsx", excel_return(maturity=maturity))
    assert result.ok
    assert [r["maturity_level"] for r in result.submissions[0].maturity[-2:]] == [None, None]
    assert [p.kind for p in result.warnings] == ["blank_word"]


def test_action_without_all_londoners_row_is_a_warning():
    maturity = MATURITY + [["A7", "Employer", "Sex", None, 2]]
    result = validate_bytes("r.xlsx", excel_return(maturity=maturity))
    assert result.ok
    [warning] = result.warnings
    assert warning.kind == "no_all_londoners" and warning.value == "A7" and warning.row == 5


def test_extra_column_kept_as_note_with_warning():
    header = ["Action", "Role", "Equality group", "Maturity level", "Budget holder"]
    maturity = [["A1", "All roles", "All Londoners", 3, "Finance team"]]
    result = validate_bytes("r.xlsx", excel_return(maturity=maturity, maturity_header=header))
    assert result.ok
    [warning] = result.warnings
    assert warning.kind == "extra_column" and warning.column == "Budget holder" and warning.row == 1
    assert result.submissions[0].maturity[0]["extra_columns"] == '{"Budget holder": "Finance team"}'


def test_missing_required_column():
    header = ["Action", "Equality group", "Maturity level"]
    problem = only_error(validate_bytes("r.xlsx", excel_return(maturity=[["A1", "All Londoners", 3]], maturity_header=header)))
    assert (problem.kind, problem.sheet, problem.row, problem.column) == ("missing_column", "Maturity", 1, "Role")


def test_variants_are_normalised_with_warnings():
    maturity = [["Action 1", "Employers", "Ethnicity", "Women and girls", "3 - achieving"],
                ["A1", "All", "All Londoners", None, "Level 2"]]
    org = dict(ORG, Sector="Housing Associations", **{"Reporting year": "FY2024/25"})
    result = validate_bytes("r.xlsx", excel_return(org, maturity=maturity, metrics=[]))
    assert result.ok
    rows = result.submissions[0].maturity
    assert (rows[0]["role"], rows[0]["equality_group"], rows[0]["intersecting_group"], rows[0]["maturity_level"]) == ("Employer", "Race", "Sex", 3)
    assert result.submissions[0].details["sector"] == "Housing association"
    assert {p.value for p in result.warnings if p.kind == "variant_normalised"} == {"Employers", "Ethnicity", "Women and girls", "All", "Housing Associations"}


def test_lgbtqi_means_gender_reassignment_when_the_row_names_it():
    maturity = MATURITY + [["A1", "Employer", "LGBTQI+", None, 2, "Trans inclusion policy covering gender reassignment"],
                           ["A5", "Employer", "LGBTQI+", None, 2, "Staff network"]]
    rows = validate_bytes("r.xlsx", excel_return(maturity=maturity)).submissions[0].maturity
    assert [r["equality_group"] for r in rows[-2:]] == ["Gender reassignment", "Sexual orientation"]


@pytest.mark.parametrize("metric, group, value, kind", [
    ("LLW_SHARE", None, 120, "out_of_range"), ("PAY_GAP_MEDIAN", "Race", -150, "out_of_range"),
    ("Unicorns", None, 3, "unknown_code"), ("LLW_SHARE", None, "lots", "bad_number"), ("LLW_SHARE", None, None, "missing_value"),
    ("LLW_ACCREDITED", None, "maybe", "bad_number"), ("LLW_SHARE", "Race", 50, "unknown_code"),
    ("DEBT_REFERRALS", None, 2.5, "bad_number"),
])
def test_bad_metric(metric, group, value, kind):
    problem = only_error(validate_bytes("r.xlsx", excel_return(metrics=[[metric, group, value, None]])))
    assert (problem.kind, problem.sheet, problem.row) == (kind, "Metrics", 2)
    assert problem.column in ("Value", "Metric", "Equality group")


def test_metric_by_name_and_percent_forms():
    metrics = [["Share of staff paid at least the London Living Wage", None, "85%", None],
               ["WORKFORCE_SHARE - Share of the workforce", "Sex", 0.52, None],
               ["LLW_ACCREDITED", None, "Yes", None]]
    result = validate_bytes("r.xlsx", excel_return(metrics=metrics))
    assert result.ok
    assert [m["value"] for m in result.submissions[0].metrics] == [85.0, 52.0, 1.0]
    assert [p.kind for p in result.warnings] == ["percent_fraction"]


def test_duplicate_metric_row():
    problem = only_error(validate_bytes("r.xlsx", excel_return(metrics=METRICS + [["llw_share", None, 90, None]])))
    assert problem.kind == "duplicate_row" and problem.row == 4 and "repeats row 2" in problem.message


def test_bulk_csv_makes_one_submission_per_organisation_and_year():
    rows = [maturity_row(), maturity_row(action="A2"), maturity_row(year="2023/24"),
            maturity_row(code="ORG-0007", name="Upton Vale Law Centre", sector="Law centres")]
    result = validate_bytes("bulk.csv", csv_bytes(MATURITY_CSV_HEADER, rows))
    assert result.ok
    assert sorted((s.organisation_code, s.reporting_year, len(s.maturity)) for s in result.submissions) == [
        ("ORG-0007", 2024, 1), ("ORG-0042", 2023, 1), ("ORG-0042", 2024, 2)]


def test_bulk_csv_conflicting_sector_for_one_return():
    rows = [maturity_row(), maturity_row(action="A2", sector="Health")]
    problem = only_error(validate_bytes("bulk.csv", csv_bytes(MATURITY_CSV_HEADER, rows)))
    assert problem.kind == "conflicting_details" and problem.row == 3 and problem.column == "sector" and "row 2" in problem.expected


def test_metrics_csv():
    header = ["organisation_code", "reporting_year", "metric", "equality_group", "value", "notes"]
    rows = [["ORG-0042", "2024-25", "LLW_SHARE", "", "91", ""], ["ORG-0042", "2024-25", "PAY_GAP_MEDIAN", "Gender", "8.5", "mean"]]
    result = validate_bytes("m.csv", csv_bytes(header, rows))
    assert result.ok and result.file_kind == "metrics CSV"
    [sub] = result.submissions
    assert sub.maturity is None and [(m["equality_group"], m["value"]) for m in sub.metrics] == [("All Londoners", 91.0), ("Sex", 8.5)]


def test_learning_csvs():
    # The contract's header for an event's learning format is `format`; `learning_format` (our own name) is read too.
    events = csv_bytes(["event_id", "date", "format", "priority_area", "title", "delivery"],
                       [["EV-1", "14/03/2024", "Challenge events", "Living standards", "Pay", "in-person"],
                        ["EV-2", "2024-06-01", "ALS", "Civil society", "Grants", "Online"]])
    result = validate_bytes("events.csv", events)
    assert result.ok and result.file_kind == "learning events CSV"
    assert [(e["learning_format"], e["priority_area"], e["delivery"]) for e in result.events] == [
        ("Challenge event", "Living standards", "In person"), ("Action-learning set", "Civil society strength", "Online")]
    attendance = csv_bytes(["event_id", "organisation_code", "attendees", "pitched_right", "will_use", "more_support"],
                           [["EV-1", "ORG-0042", "3", "4", "6", ""]])
    problem = only_error(validate_bytes("attendance.csv", attendance))
    assert (problem.kind, problem.row, problem.column, problem.value) == ("out_of_range", 2, "will_use", "6")


def test_csv_that_is_no_return():
    problem = only_error(validate_bytes("contacts.csv", b"name,phone\nSam,0123\n"))
    assert problem.kind == "not_a_return" and "name, phone" in problem.value


def test_csv_with_headers_only():
    problem = only_error(validate_bytes("r.csv", csv_bytes(MATURITY_CSV_HEADER, [])))
    assert problem.kind == "no_records"


def test_csv_missing_required_column():
    header = [h for h in MATURITY_CSV_HEADER if h != "sector"]
    rows = [[c for h, c in zip(MATURITY_CSV_HEADER, maturity_row()) if h != "sector"]]
    problem = only_error(validate_bytes("r.csv", csv_bytes(header, rows)))
    assert (problem.kind, problem.row, problem.column) == ("missing_column", 1, "sector")


def test_rejected_file_carries_no_rows_to_load():
    result = validate_bytes("r.xlsx", excel_return(maturity=MATURITY + [["A1", "All roles", "All Londoners", None, 9]]))
    assert not result.ok and result.submissions == []


def test_report_grouped_by_kind_with_counts():
    maturity = [["A1", "All roles", "All Londoners", None, 9], ["A2", "All roles", "All Londoners", None, 8], ["A99", "All roles", "All Londoners", None, 1]]
    result = validate_bytes("r.xlsx", excel_return(maturity=maturity))
    summary = summarise(result.problems)
    counts = dict(zip(summary["title"], summary["count"]))
    assert counts["Value outside the allowed range"] == 2 and counts["Value not recognised"] == 1
    assert summary.iloc[0]["severity"] == "error"
    frame = problems_frame(result.problems)
    assert list(frame["row"].dropna()) == [2, 3, 4]
    assert set(frame.columns) >= {"file", "sheet", "row", "column", "value", "expected", "message"}


def test_metrics_notes_and_extra_columns_are_both_kept():
    import io

    from conftest import ORG
    from openpyxl import Workbook
    book = Workbook()
    org = book.active
    org.title = "Organisation"
    for label, value in ORG.items():
        org.append([label, value])
    book.create_sheet("Maturity").append(["Action", "Role", "Equality group", "Maturity level"])
    book["Maturity"].append(["A1", "All roles", "All Londoners", 2])
    metrics = book.create_sheet("Metrics")
    metrics.append(["Metric", "Equality group", "Value", "Notes", "Source"])
    metrics.append(["LLW_SHARE", None, 80, "Excludes agency staff", "Payroll 2024"])
    buffer = io.BytesIO()
    book.save(buffer)
    [row] = validate_bytes("r.xlsx", buffer.getvalue()).submissions[0].metrics
    assert row["notes"] == "Excludes agency staff" and row["extra_columns"] == '{"Source": "Payroll 2024"}'


def test_bulk_table_saved_as_a_workbook_is_read_by_its_headers():
    import io

    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "Export"
    sheet.append(MATURITY_CSV_HEADER)
    sheet.append(maturity_row())
    sheet.append(maturity_row(action="A2", level="Level 6"))
    buffer = io.BytesIO()
    book.save(buffer)
    result = validate_bytes("bulk.xlsx", buffer.getvalue())
    assert result.file_kind == "maturity CSV"
    problem = only_error(result)
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("Export", 3, "maturity_level", "Level 6")


def test_workbook_that_is_no_return_names_its_sheets():
    import io

    from openpyxl import Workbook
    book = Workbook()
    book.active.title = "Budget"
    book.active.append(["Item", "Cost"])
    buffer = io.BytesIO()
    book.save(buffer)
    problems = validate_bytes("budget.xlsx", buffer.getvalue()).errors
    assert {p.sheet for p in problems} == {"Organisation", "Maturity"}
    assert all("the workbook has: Budget" in p.message for p in problems)


def test_report_lists_the_most_frequent_kind_first_within_each_severity():
    # Regression: problems.summarise listed kinds fewest first (the count key was negated twice).
    maturity = [["A1", "All roles", "All Londoners", None, 9], ["A2", "All roles", "All Londoners", None, 8],
                ["A5", "All roles", "All Londoners", None, 7], ["A99", "All roles", "All Londoners", None, 1]]
    summary = summarise(validate_bytes("r.xlsx", excel_return(maturity=maturity)).problems)
    errors = summary[summary["severity"] == "error"]
    assert errors["title"].tolist()[:2] == ["Value outside the allowed range", "Value not recognised"]
    assert errors["count"].tolist() == sorted(errors["count"], reverse=True)
