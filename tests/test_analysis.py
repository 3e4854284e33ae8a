"""Mean levels worked out by hand on a tiny store: each organisation counts once, blanks are left out."""

import pytest
from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row

from bfc_data import analysis
from bfc_data.analysis import overview
from bfc_data.analysis.disclosure import suppress
from bfc_data.reference.framework import framework
from bfc_data.store import load_files


def row(code, sector, year, action, group, level, role="All roles"):
    return maturity_row(code=code, name=f"Org {code}", sector=sector, year=year, action=action, role=role, group=group, level=level)


@pytest.fixture
def small(store):
    rows = [
        # 2024-25. Org 1 (Health): own mean (4 + 2 + 3) / 3 = 3.0 from three rows.
        row("ORG-0001", "Health", "2024-25", "A1", "All Londoners", "4"),
        row("ORG-0001", "Health", "2024-25", "A1", "Race", "2", role="Employer"),
        row("ORG-0001", "Health", "2024-25", "A5", "All Londoners", "3"),
        # Org 2 (Health): one row, level 1.
        row("ORG-0002", "Health", "2024-25", "A1", "All Londoners", "1"),
        # Org 3 (Business): A1 blank (not taking part), A2 level 2.
        row("ORG-0003", "Business", "2024-25", "A1", "All Londoners", ""),
        row("ORG-0003", "Business", "2024-25", "A2", "All Londoners", "2"),
        # 2023-24: Org 1 at 2, Org 3 at 1.
        row("ORG-0001", "Health", "2023-24", "A1", "All Londoners", "2"),
        row("ORG-0003", "Business", "2023-24", "A2", "All Londoners", "1"),
    ]
    load_files(store, [("small.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    return store


def records(frame):
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_by_sector_latest_year(small):
    # Health: organisations 1 and 2, means 3.0 and 1.0 -> 2.0 (not the row mean 2.5). Business: org 3 -> 2.0.
    assert records(analysis.mean_level_by(small, "sector")) == [("Business", 1, 2.0), ("Health", 2, 2.0)]


def test_by_action_leaves_blank_levels_out(small):
    # A1: org 1 (4+2)/2 = 3, org 2 = 1 -> 2.0 over 2 organisations; org 3's blank A1 is not counted.
    assert records(analysis.mean_level_by(small, "action")) == [("A1", 2, 2.0), ("A2", 1, 2.0), ("A5", 1, 3.0)]


def test_by_priority_area_in_reference_order(small):
    # A1, A2: Living standards (org 1: (4+2)/2 = 3, org 2: 1, org 3: 2 -> 2.0); A5: labour market (org 1: 3).
    assert records(analysis.mean_level_by(small, "priority_area")) == [("Living standards", 3, 2.0), ("Equality in the labour market", 1, 3.0)]


def test_by_year_shows_every_year(small):
    # 2023-24: org 1 = 2, org 3 = 1 -> 1.5. 2024-25: 3.0, 1.0, 2.0 -> 2.0.
    assert records(analysis.mean_level_by(small, "reporting_year")) == [(2023, 2, 1.5), (2024, 3, 2.0)]


def test_by_equality_group_and_chosen_year(small):
    # All Londoners 2024-25: org 1 (4+3)/2 = 3.5, org 2 = 1, org 3 = 2 -> 6.5 / 3 = 2.17. Race: org 1 = 2.
    assert records(analysis.mean_level_by(small, "equality_group", 2024)) == [("All Londoners", 3, 2.17), ("Race", 1, 2.0)]
    assert records(analysis.mean_level_by(small, "equality_group", 2023)) == [("All Londoners", 2, 1.5)]


def test_unknown_dimension_refused(small):
    with pytest.raises(ValueError, match="cannot summarise by"):
        analysis.mean_level_by(small, "organisation_name; DROP TABLE submissions")


def test_headline(small):
    # Progress 2023-24 -> 2024-25 over organisations in both years: org 1 from 2 to 3 (+1), org 3 from 1 to 2 (+1) -> +1.00.
    head = overview.headline(small)
    assert (head.reporting_year, head.organisations, head.organisations_change, head.mean_level, head.mean_level_change,
            head.organisations_compared, head.sectors, head.returns_all_years) == (2024, 3, 1, 2.0, 1.0, 2, 2, 5)
    assert head.summary == ("In 2024-25, 3 organisations in 2 sectors returned; their mean maturity level was 2.00 on the 1–4 scale. "
                            "The 2 organisations that also returned in 2023-24 rose by 1.00 on average.")


def test_headline_of_an_empty_store(store):
    assert overview.headline(store) is None


# --- levels, shares and filters -------------------------------------------------------------

def test_level_shares_count_organisations_not_rows(small):
    # 2024-25 own means: org 1 = 3.0 (level 3), org 2 = 1.0 (level 1), org 3 = 2.0 (level 2).
    frame = analysis.levels(small, "reporting_year", analysis.Filters(years=(2024,)))
    row = frame.iloc[0]
    assert (row["organisations"], row["mean_level"]) == (3, 2.0)
    assert [round(row[s], 1) for s in framework().level_shares] == [33.3, 33.3, 33.3, 0.0]


def test_half_levels_round_up_for_shares(store):
    rows = [row("ORG-0001", "Health", "2024-25", "A1", "All Londoners", "2"), row("ORG-0001", "Health", "2024-25", "A2", "All Londoners", "3")]
    load_files(store, [("half.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    frame = analysis.levels(store, "sector")
    assert frame.loc[0, "mean_level"] == 2.5 and frame.loc[0, "level_3"] == 100.0


def test_filters_narrow_every_dimension(small):
    health = analysis.levels(small, "action", analysis.Filters(years=(2024,), sectors=("Health",)))
    # A1 in Health: org 1 (4+2)/2 = 3, org 2 = 1 -> 2.0; A5: org 1 = 3.
    assert records(health[["action", "organisations", "mean_level"]]) == [("A1", 2, 2.0), ("A5", 1, 3.0)]
    employer = analysis.levels(small, "sector", analysis.Filters(years=(2024,), roles=("Employer",)))
    assert records(employer[["sector", "organisations", "mean_level"]]) == [("Health", 1, 2.0)]
    race = analysis.levels(small, "sector", analysis.Filters(equality_groups=("Race",)))
    assert records(race[["sector", "organisations", "mean_level"]]) == [("Health", 1, 2.0)]
    area = analysis.levels(small, "reporting_year", analysis.Filters(priority_areas=("Equality in the labour market",)))
    assert records(area[["reporting_year", "organisations", "mean_level"]]) == [(2024, 1, 3.0)]
    assert analysis.levels(small, "sector", analysis.Filters(sectors=("Faith",))).empty


def test_crossed_dimensions(small):
    frame = analysis.levels(small, ["sector", "priority_area"], analysis.Filters(years=(2024,)))
    # Health × Living standards: org 1 (A1: 4, 2 -> 3), org 2 (1) -> 2.0. Health × labour market: org 1 A5 = 3.
    assert records(frame[["sector", "priority_area", "organisations", "mean_level"]]) == [
        ("Business", "Living standards", 1, 2.0), ("Health", "Living standards", 2, 2.0),
        ("Health", "Equality in the labour market", 1, 3.0)]


def test_trend_change_from_previous_year(small):
    frame = analysis.trend(small, "sector")
    # Business: 2023-24 org 3 = 1, 2024-25 org 3 = 2 -> +1. Health: 2023-24 org 1 = 2; 2024-25 (3 + 1) / 2 = 2 -> 0.
    assert records(frame[["sector", "reporting_year", "mean_level", "change"]].fillna(-9)) == [
        ("Business", 2023, 1.0, -9), ("Business", 2024, 2.0, 1.0), ("Health", 2023, 2.0, -9), ("Health", 2024, 2.0, 0.0)]


# --- suppression ------------------------------------------------------------------------------

def frame_of(cells, by):
    import pandas as pd
    return pd.DataFrame([dict(zip([*by, "organisations", "mean_level"], c)) for c in cells])


def hidden(frame, by):
    return {tuple(r[b] for b in by): r["suppression"] for _, r in frame.iterrows() if r["suppressed"]}


def test_suppression_just_under_and_at_the_threshold():
    # g is additive (like sectors): the whole table is one line with a published total.
    frame = suppress(frame_of([("A", 4, 2.0), ("B", 5, 3.0), ("C", 9, 2.5)], ["g"]), 5, ["mean_level"], [[]])
    # A (4) is under 5: hidden. B (5) is at the threshold: it would be shown, but as the smallest other cell
    # it is hidden too, or A could be worked out from the overall mean. C stays.
    assert hidden(frame, ["g"]) == {("A",): "primary", ("B",): "secondary"}
    assert frame["mean_level"].isna().tolist() == [True, True, False]
    # A count of organisations is shown only beside a figure that is shown.
    assert frame["organisations"].fillna(-1).tolist() == [-1, -1, 9]
    untouched = suppress(frame_of([("A", 5, 2.0), ("B", 6, 3.0)], ["g"]), 5, ["mean_level"], [[]])
    assert hidden(untouched, ["g"]) == {}


def test_secondary_suppression_in_a_two_way_table():
    cells = [("A", "X", 3, 1.0), ("A", "Y", 10, 2.0), ("B", "X", 8, 2.0), ("B", "Y", 9, 2.0), ("C", "X", 20, 3.0), ("C", "Y", 30, 3.0)]
    frame = suppress(frame_of(cells, ["r", "c"]), 5, ["mean_level"], [["r"], ["c"]])
    # A-X is primary. Row A then needs a second hidden cell: A-Y. Column X: B-X (8) is the smallest other;
    # column Y: B-Y (9). Row B then has two hidden cells, and row C none: nothing can be worked out from totals.
    # The other way to close every line (A-Y, C-X, C-Y) also takes three cells but covers 60 organisations, not 27.
    assert hidden(frame, ["r", "c"]) == {("A", "X"): "primary", ("A", "Y"): "secondary", ("B", "X"): "secondary", ("B", "Y"): "secondary"}


def test_no_suppression_for_threshold_zero():
    frame = suppress(frame_of([("A", 1, 2.0)], ["g"]), 0, ["mean_level"], [[]])
    assert not frame["suppressed"].any() and frame["mean_level"].tolist() == [2.0]


def test_levels_apply_suppression(small):
    frame = analysis.levels(small, "sector", analysis.Filters(years=(2024,)), threshold=2)
    # Business has 1 organisation (< 2): hidden; Health has 2 but is the only other cell: hidden as well.
    assert frame["suppressed"].tolist() == [True, True]
    assert frame[["mean_level", *framework().level_shares]].isna().all().all()
    assert frame["organisations"].isna().all()


# --- progress, movement, transitions ---------------------------------------------------------

@pytest.fixture
def moving(store):
    # Six organisations in 2023-24 and 2024-25. Own levels: three move 1 -> 2, two stay at 2, one slips 3 -> 2.
    rows = []
    for code, before, after in (("ORG-0001", "1", "2"), ("ORG-0002", "1", "2"), ("ORG-0003", "1", "2"),
                                ("ORG-0004", "2", "2"), ("ORG-0005", "2", "2"), ("ORG-0006", "3", "2")):
        rows += [row(code, "Health", "2023-24", "A1", "All Londoners", before), row(code, "Health", "2024-25", "A1", "All Londoners", after)]
    load_files(store, [("moving.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    return store


def test_transitions_and_movement(moving):
    frame = analysis.transitions(moving, 2023, 2024)
    assert records(frame[["from_level", "to_level", "organisations"]]) == [(1, 2, 3.0), (2, 2, 2.0), (3, 2, 1.0)]
    movement = analysis.movement(moving, 2023, 2024)
    assert records(movement[["movement", "organisations"]]) == [("moved up", 3.0), ("stayed", 2.0), ("slipped", 1.0)]


def test_movement_combines_small_groups_for_members(moving):
    # Threshold 2: 'slipped' (1) is combined with 'stayed' (2) -> 3; 'moved up' (3) stays.
    frame = analysis.movement(moving, 2023, 2024, threshold=2)
    assert records(frame[["movement", "organisations"]]) == [("moved up", 3.0), ("stayed or slipped", 3.0)]
    # Threshold 4: even the combined groups are too small: only the total of 6 is given.
    frame = analysis.movement(moving, 2023, 2024, threshold=4)
    assert records(frame[["movement", "organisations"]]) == [("all organisations in both years", 6.0)]


def test_transitions_protect_the_movement_bands(moving):
    frame = analysis.transitions(moving, 2023, 2024, threshold=2)
    # 3 -> 2 (1 organisation) is primary. It is alone in its row, its column has 1 -> 2 (3) and 2 -> 2 (2):
    # 2 -> 2 is hidden as the smallest other. The 'slipped' band holds only 3 -> 2, a line of one cell.
    assert hidden(frame, ["from_level", "to_level"]) == {(3, 2): "primary", (2, 2): "secondary"}


def test_distance_travelled(moving):
    frame = analysis.distance_travelled(moving, "test")
    assert frame.set_index("organisation_code")["distance"].to_dict() == {
        "ORG-0001": 1.0, "ORG-0002": 1.0, "ORG-0003": 1.0, "ORG-0004": 0.0, "ORG-0005": 0.0, "ORG-0006": -1.0}
    by_sector = analysis.distance_by(moving, "sector")
    assert records(by_sector[["sector", "organisations", "mean_distance", "moved_up"]]) == [("Health", 6, 0.33, 3)]


def test_biggest_movers(small):
    # Business 1.0 -> 2.0 (+1.00); Health 2.0 -> 2.0 (0).
    frame = analysis.biggest_movers(small, "sector", 2024)
    assert records(frame) == [("Business", 1.0, 2.0, 1.0), ("Health", 2.0, 2.0, 0.0)]
    assert analysis.biggest_movers(small, "sector", 2023).empty


# --- intersectional, metrics, coverage, support -----------------------------------------------

def test_intersectional(store):
    rows = [row("ORG-0001", "Health", "2024-25", "A1", "All Londoners", "3"),
            maturity_row(code="ORG-0001", name="Org ORG-0001", sector="Health", year="2024-25", group="Race", intersecting="Sex", level="2"),
            maturity_row(code="ORG-0001", name="Org ORG-0001", sector="Health", year="2024-25", action="A2", group="Race", intersecting="Sex", level="1"),
            maturity_row(code="ORG-0002", name="Org ORG-0002", sector="Health", year="2024-25", group="Race", intersecting="Sex", level="4")]
    [outcome] = load_files(store, [("x.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    assert not outcome.rejected
    # Race × Sex: org 1 (2 + 1) / 2 = 1.5, org 2 = 4 -> 2.75 over 2 organisations.
    assert records(analysis.intersectional(store)[["equality_group", "intersecting_group", "organisations", "mean_level"]]) == [
        ("Race", "Sex", 2, 2.75)]


def test_metric_trend_knows_which_way_is_better(store):
    header = ["organisation_code", "reporting_year", "metric", "equality_group", "value"]
    rows = [["ORG-0001", "2023-24", "PAY_GAP_MEDIAN", "Race", "10"], ["ORG-0002", "2023-24", "PAY_GAP_MEDIAN", "Race", "20"],
            ["ORG-0001", "2024-25", "PAY_GAP_MEDIAN", "Race", "8"], ["ORG-0002", "2024-25", "PAY_GAP_MEDIAN", "Race", "12"],
            ["ORG-0001", "2023-24", "PAY_GAP_MEDIAN", "Sex", "5"], ["ORG-0001", "2024-25", "PAY_GAP_MEDIAN", "Sex", "7"]]
    load_files(store, [("m.csv", csv_bytes(header, rows))], "test")
    frame = analysis.metric_trend(store, "PAY_GAP_MEDIAN")
    # Race: mean 15 -> 10 (a gap closing: better). Sex: 5 -> 7 (worse).
    assert records(frame[["equality_group", "reporting_year", "organisations", "mean_value", "change", "direction"]].fillna(0)) == [
        ("Race", 2023, 2, 15.0, 0, ""), ("Race", 2024, 2, 10.0, -5.0, "better"),
        ("Sex", 2023, 1, 5.0, 0, ""), ("Sex", 2024, 1, 7.0, 2.0, "worse")]
    hidden_frame = analysis.metric_trend(store, "PAY_GAP_MEDIAN", threshold=2)
    assert hidden_frame.loc[hidden_frame["equality_group"] == "Sex", "mean_value"].isna().all()


def test_coverage_new_lapsed_and_not_returned(store):
    rows = [row("ORG-0001", "Health", "2023-24", "A1", "All Londoners", "2"), row("ORG-0002", "Health", "2023-24", "A1", "All Londoners", "2"),
            row("ORG-0001", "Health", "2024-25", "A1", "All Londoners", "3"), row("ORG-0003", "Business", "2024-25", "A1", "All Londoners", "1")]
    load_files(store, [("c.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    frame = analysis.coverage(store)
    # 2023-24: Health 2 returning, both new. 2024-25: Health 1 (not new) and ORG-0002 lapsed; Business 1 new.
    # (sector, year, returning, new, back after a gap, lapsed); re-joiners are tested in test_true_words.py.
    assert records(frame) == [("Business", 2024, 1, 1, 0, 0), ("Health", 2023, 2, 2, 0, 0), ("Health", 2024, 1, 0, 0, 1)]
    missing = analysis.not_returned(store, "test", 2024)
    assert missing[["organisation_code", "last_returned"]].values.tolist() == [["ORG-0002", 2023]]
    assert records(analysis.coverage_by_year(store)) == [(2023, 2, 2, 0, 0), (2024, 2, 1, 0, 1)]


def test_support_wanted_by(store):
    rows = [row("ORG-0001", "Health", "2024-25", "A1", "All Londoners", "2") [:11] + ["Study tour"],
            row("ORG-0001", "Health", "2024-25", "A2", "All Londoners", "2")[:11] + ["Study tour"],
            row("ORG-0002", "Health", "2024-25", "A5", "All Londoners", "1")[:11] + ["Study tour"],
            row("ORG-0002", "Health", "2024-25", "A1", "All Londoners", "1")[:11] + ["Resources"]]
    load_files(store, [("s.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    frame = analysis.support_wanted_by(store, "priority_area")
    # Study tour: Living standards asked by org 1 twice (A1, A2) -> 1 organisation, 2 rows; labour market by org 2.
    assert records(frame[["learning_format", "priority_area", "organisations", "rows_wanting"]]) == [
        ("Study tour", "Living standards", 1, 2), ("Study tour", "Equality in the labour market", 1, 1),
                              ("Resources", "Living standards", 1, 1)]


def test_movement_when_no_organisation_returned_in_both_years(moving):
    # Regression (found by the members' attack test): a filter that leaves no pair of years raised KeyError 'movement'.
    frame = analysis.movement(moving, 2023, 2024, analysis.Filters(equality_groups=("Disability",)), threshold=2)
    assert frame["organisations"].fillna(0).sum() == 0


def test_the_organisation_mean_is_defined_once():
    # Every figure built on levels reads bfc_data.store.measures.own_means: no other module averages levels itself.
    import re

    from conftest import ROOT
    averaging = [path.name for path in (ROOT / "bfc_data").rglob("*.py")
                 if re.search(r"(avg|sum|mean)\(\s*maturity_level\s*\)|level_sum", path.read_text())
                 and path.name != "measures.py"]
    assert averaging == []


def test_distance_travelled_is_one_definition_for_the_list_and_the_sector_figure(sample_db):
    # Regression: the officers' list rounded halves to even (pandas), the sector figure away from zero (DuckDB),
    # so the same organisation travelled 0.82 in one and 0.81 in the other.
    from bfc_data.store.startup import open_store
    with open_store(sample_db, None) as store:
        listed = analysis.distance_travelled(store, "officer")
        by_sector = analysis.distance_by(store, "sector").set_index("sector")
    for sector, part in listed.groupby("sector"):
        assert by_sector.loc[sector, "organisations"] == len(part)
        assert by_sector.loc[sector, "mean_distance"] == round(part["distance"].mean() + 1e-9, 2)
