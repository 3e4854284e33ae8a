"""Issue 11: a curious board member tries to work out a small group by combining what the pages and the pack show.

The attacker takes every table a member page shows (the "Show the data" tables are exactly what the CSV
downloads carry), for all sectors and for each sector in turn, and for each equality group in turn:

* **Direct:** a count of organisations under the threshold is never shown, nor a figure beside one.
* **Differencing:** organisations partition into sectors, so within any cut the sectors add up to the cut's
  total. In every such line the attacker looks for exactly one hidden figure, which subtraction would recover.
* **All but one:** a member's link or session asking for several sectors (or groups) gets one, and bfc_data
  refuses the view outright.
* **Year against year:** no change or direction is shown next to a hidden year.

The same differencing attack is made on the members' board pack, slide by slide.
"""

from __future__ import annotations

import io
import math
from dataclasses import replace

import pandas as pd
import pytest
from pptx import Presentation
from test_pages import app

from bfc_data import analysis
from bfc_data.access import Viewer
from bfc_data.analysis import learning
from bfc_data.analysis.disclosure import DisclosureRefused
from bfc_data.intake.values import year_label
from bfc_data.outputs import boardpack
from bfc_data.reference.settings import settings
from bfc_data.store.startup import open_store

MEMBER_PAGES = ["pages/overview.py", "pages/priority_areas.py", "pages/sectors.py", "pages/equality_groups.py",
                "pages/progress.py", "pages/metrics.py", "pages/coverage.py", "pages/learning.py"]
THRESHOLD = settings().suppression_threshold
# Headings of columns that count organisations (or people or answers from them).
COUNTS = {"Organisations", "Organisations asking", "Organisations attending", "Took part", "Did not take part",
          "Returned this year", "Took part in learning", "Not yet engaged", "New organisations", "Lapsed organisations",
          "Responses", "People attending"}
# Not counted as cells: "Organisations that moved up" is a figure of a published cell, like its level shares.
# Columns that say something, but are not a figure to recover.
NOT_FIGURES = {"Hidden", "Events", "Times given", "Unmet", "Answer"}
MEMBER = Viewer("a board member", "member")


@pytest.fixture(scope="module")
def facts(sample_db):
    with open_store(sample_db, None) as store:
        return {"reporting_year": analysis.latest_year(store), "sectors": list(store.fw.sectors.values),
                "groups": list(store.fw.equality_groups.values)}


def member_tables(monkeypatch, db, page, **query) -> list[pd.DataFrame]:
    at = app(monkeypatch, db, page, query={k: v for k, v in query.items() if v})
    return [element.value for element in at.dataframe]


def _is_blank(value) -> bool:
    # Whole-number count columns hold pandas' NA for a hidden count.
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) \
        or (isinstance(value, str) and value.strip() == "")


def _labels(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in NOT_FIGURES and c not in COUNTS and not pd.api.types.is_numeric_dtype(table[c])
            and c not in ("Direction",)]


def _figures(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in NOT_FIGURES and c not in _labels(table)]


def direct_breaches(table: pd.DataFrame, where: str) -> list[str]:
    found = []
    for column in COUNTS & set(table.columns):
        for value in table[column]:
            if not _is_blank(value) and 0 < float(value) < THRESHOLD:
                found.append(f"{where}: a count of {value} shown in '{column}'")
    return found


def year_breaches(table: pd.DataFrame, where: str) -> list[str]:
    """A change or direction beside a hidden year, or in the year after a hidden one, gives the hidden figure away."""
    if "Reporting year" not in table.columns or not ({"Change", "Direction"} & set(table.columns)):
        return []
    value = next((c for c in ("Mean maturity level", "Mean value") if c in table.columns), None)
    if value is None:
        return []
    groups = [c for c in _labels(table) if c != "Reporting year"]
    found = []
    for _, part in (table.groupby(groups, sort=False) if groups else [(None, table)]):
        previous_hidden = False
        for _, row in part.iterrows():
            hidden = _is_blank(row[value])
            said = [c for c in ("Change", "Direction") if c in row and not _is_blank(row[c])]
            if said and (hidden or previous_hidden):
                found.append(f"{where}: {said} shown beside a hidden year ({dict(row)})")
            previous_hidden = hidden
    return found


def _cells(table: pd.DataFrame) -> dict[tuple, dict[str, object]]:
    labels = _labels(table)
    return {tuple(row[c] for c in labels): {c: row[c] for c in _figures(table)} for _, row in table.iterrows()}


def differencing_breaches(total: pd.DataFrame, parts: dict[str, pd.DataFrame], where: str) -> list[str]:
    """The sector views of one table against the all-sector view: a line with one hidden part gives it away."""
    found = []
    whole = _cells(total)
    pieces = {sector: _cells(table) for sector, table in parts.items()}
    for key, figures in whole.items():
        for column, value in figures.items():
            if _is_blank(value):
                continue  # the total itself is hidden: nothing to subtract from
            hidden = [s for s, cells in pieces.items() if key in cells and column in cells[key] and _is_blank(cells[key][column])]
            if len(hidden) == 1:
                found.append(f"{where}: '{column}' of {key} for {hidden[0]} = the total minus the other sectors")
    return found


def by_sector_breaches(table: pd.DataFrame, where: str) -> list[str]:
    """A table by sector: in each cut (the other labels), the sectors add up to a published total."""
    if "Sector" not in table.columns:
        return []
    context = [c for c in _labels(table) if c != "Sector"]
    found = []
    for key, part in (table.groupby(context, sort=False) if context else [((), table)]):
        if len(part) < 2:
            continue
        for column in _figures(table):
            hidden = part[column].map(_is_blank)
            if hidden.sum() == 1:
                found.append(f"{where}: '{column}' of {part.loc[hidden, 'Sector'].iloc[0]} in {key} is the only one hidden in its line")
    return found


def _match(tables: list[pd.DataFrame], like: pd.DataFrame) -> pd.DataFrame | None:
    same = [t for t in tables if list(t.columns) == list(like.columns)]
    return same[0] if same else None


def test_a_view_with_everything_hidden_still_shows_its_table(monkeypatch, sample_db, facts):
    """The attack reads a sector's missing table as 'nothing there'; a view whose figures are all hidden must
    still show which cells exist and why they are hidden (and so must a person)."""
    at = app(monkeypatch, sample_db, "pages/priority_areas.py", query={"sector": "Faith", "reporting_year": year_label(facts["reporting_year"])})
    tables = [element.value for element in at.dataframe]
    assert tables and any("Hidden" in t.columns and t["Hidden"].eq("too few organisations").all() for t in tables)


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_a_member_cannot_work_out_a_small_group_on_any_page(monkeypatch, sample_db, facts, page):
    year = year_label(facts["reporting_year"])
    unfiltered = member_tables(monkeypatch, sample_db, page, year=year)
    assert unfiltered, f"{page} shows no table to attack"
    by_sector = {s: member_tables(monkeypatch, sample_db, page, year=year, sector=s) for s in facts["sectors"]}
    by_group = {g: member_tables(monkeypatch, sample_db, page, year=year, equality_group=g) for g in facts["groups"]}
    breaches = []
    for where, tables in [("all", unfiltered), *[(s, t) for s, t in by_sector.items()], *[(g, t) for g, t in by_group.items()]]:
        for index, table in enumerate(tables):
            name = f"{page} [{where}] table {index}"
            breaches += direct_breaches(table, name) + year_breaches(table, name) + by_sector_breaches(table, name)
    for index, table in enumerate(unfiltered):
        parts = {s: match for s, tables in by_sector.items() if (match := _match(tables, table)) is not None}
        if "Sector" not in table.columns:
            breaches += differencing_breaches(table, parts, f"{page} table {index}")
    assert not breaches, "\n".join(breaches[:30])


def test_a_members_link_asking_for_all_but_one_gets_one(monkeypatch, sample_db, facts):
    everyone_but_faith = [s for s in facts["sectors"] if s != "Faith"]
    at = app(monkeypatch, sample_db, "pages/sectors.py", query={"sector": everyone_but_faith, "reporting_year": year_label(facts["reporting_year"])})
    caption = " ".join(c.value for c in at.caption)
    assert f"Filtered to Sector: {everyone_but_faith[0]}." in caption
    assert not any(e.label == "Sector" for e in at.multiselect), "a member must not be offered several sectors at once"
    assert not any(e.label == "Size band" for e in [*at.selectbox, *at.multiselect])


@pytest.mark.parametrize("call", [
    lambda s, f: analysis.levels(s, "priority_area", f, THRESHOLD),
    lambda s, f: analysis.trend(s, "priority_area", replace(f, years=()), THRESHOLD),
    lambda s, f: analysis.intersectional(s, f, THRESHOLD),
    lambda s, f: analysis.metric_trend(s, "LLW_SHARE", replace(f, years=()), THRESHOLD),
    lambda s, f: analysis.coverage(s, f, THRESHOLD),
    lambda s, f: analysis.support_wanted_by(s, "priority_area", f, THRESHOLD),
    lambda s, f: analysis.distance_by(s, "sector", f, THRESHOLD),
    lambda s, f: analysis.not_returned_count(s, max(f.years), f, THRESHOLD),
])
def test_bfc_data_refuses_a_member_view_of_all_but_one(sample_db, facts, call):
    with open_store(sample_db, None) as store:
        all_but_one = analysis.Filters(years=(facts["reporting_year"],), sectors=tuple(facts["sectors"][1:]))
        with pytest.raises(DisclosureRefused):
            call(store, all_but_one)
        groups = analysis.Filters(years=(facts["reporting_year"],), equality_groups=tuple(facts["groups"][1:]))
        with pytest.raises(DisclosureRefused):
            call(store, groups)
        with pytest.raises(DisclosureRefused):
            call(store, analysis.Filters(years=(facts["reporting_year"],), size_bands=("1-49",)))


def test_movement_for_one_sector_is_refused_for_members(sample_db, facts):
    with open_store(sample_db, None) as store:
        with pytest.raises(DisclosureRefused):
            analysis.transitions(store, facts["reporting_year"] - 1, facts["reporting_year"], analysis.Filters(sectors=("Health",)), THRESHOLD)


def test_sector_lines_hold_for_every_sector_at_the_function_level(sample_db, facts):
    """The cell of one sector is hidden in the view of that sector exactly when it is hidden in the all-sector table."""
    with open_store(sample_db, None) as store:
        year = facts["reporting_year"]
        table = analysis.levels(store, ["sector", "equality_group"], analysis.Filters(years=(year,)), THRESHOLD)
        for sector in facts["sectors"]:
            one = analysis.levels(store, "equality_group", analysis.Filters(years=(year,), sectors=(sector,)), THRESHOLD)
            expected = table[table["sector"] == sector].set_index("equality_group")["mean_level"]
            assert one.set_index("equality_group")["mean_level"].equals(expected), sector
        # And in the all-sector table no equality group's line has exactly one hidden sector.
        assert not table.groupby("equality_group")["suppressed"].sum().eq(1).any()


# --- the members' board pack ----------------------------------------------------------------------

def pack_tables(store, year: int, filters: analysis.Filters) -> dict[str, pd.DataFrame]:
    """Every chart and table of a members' pack, by slide title position, as the figures it carries."""
    deck = Presentation(io.BytesIO(boardpack.build(store, MEMBER, year, filters)))
    names = [plan.name for plan in boardpack.slide_plans(store, MEMBER, year, filters)]
    assert len(names) == len(deck.slides)
    found = {}
    for number, slide in zip(names, deck.slides):
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                categories = list(chart.plots[0].categories)
                frame = pd.DataFrame({"Category": [str(c) for c in categories]})
                for series in chart.plots[0].series:
                    frame[series.name] = list(series.values)
                found[f"slide {number} chart"] = frame
            elif shape.has_table:
                rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
                frame = pd.DataFrame(rows[1:], columns=rows[0])
                if "Sector" not in frame.columns:
                    frame = frame.rename(columns={rows[0][0]: "Category"})
                found[f"slide {number} table"] = frame.replace({"hidden": None})
    return found


def test_the_members_board_pack_cannot_be_differenced(sample_db, facts):
    with open_store(sample_db, None) as store:
        year = facts["reporting_year"]
        whole = pack_tables(store, year, analysis.Filters())
        parts = {s: pack_tables(store, year, analysis.Filters(sectors=(s,))) for s in facts["sectors"]}
    breaches = []
    for name, table in whole.items():
        table = table.rename(columns={"Category": "Label"})
        if "Sector" in table.columns:
            figures = [c for c in table.columns if c != "Sector"]
            for column in figures:
                hidden = table[column].map(_is_blank)
                if hidden.sum() == 1:
                    breaches.append(f"{name}: '{column}' of {table.loc[hidden, 'Sector'].iloc[0]} is the only one hidden")
            continue
        pieces = {s: tables[name].rename(columns={"Category": "Label"}) for s, tables in parts.items() if name in tables}
        whole_cells = {row["Label"]: row for _, row in table.iterrows()}
        for label, row in whole_cells.items():
            for column in [c for c in table.columns if c != "Label"]:
                if _is_blank(row[column]):
                    continue
                hidden = [s for s, piece in pieces.items()
                          if column in piece.columns and (piece["Label"] == label).any()
                          and _is_blank(piece.loc[piece["Label"] == label, column].iloc[0])]
                if len(hidden) == 1:
                    breaches.append(f"{name}: '{column}' of {label} for {hidden[0]} = the total minus the other sectors")
    assert not breaches, "\n".join(breaches[:30])


def test_learning_counts_are_protected_for_members(sample_db):
    with open_store(sample_db, None) as store:
        for frame, columns in ((learning.attendance_by(store, "sector", THRESHOLD), ["organisations"]),
                               (learning.target_sectors(store, 2025, THRESHOLD),
                                ["organisations", "returned", "took_part_in_learning", "not_yet_engaged"]),
                               (learning.demand_and_delivery(store, 2025, THRESHOLD), ["organisations_wanting", "organisations_attending"])):
            counts = frame[columns]
            assert not ((counts > 0) & (counts < THRESHOLD)).any(axis=None), frame


@pytest.fixture
def one_small_sector(store):
    """Health 6 organisations, Business 7, Faith 2, in 2024-25: one small sector, alone in every line."""
    from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row

    from bfc_data.store import load_files
    rows, number = [], 0
    for sector, count in (("Health", 6), ("Business", 7), ("Faith", 2)):
        for _ in range(count):
            number += 1
            code = f"ORG-{number:04d}"
            for action, level in (("A1", 1 + number % 4), ("A5", 1 + number % 3)):
                rows.append(maturity_row(code=code, name=f"Org {code}", sector=sector, year="2024-25", action=action, level=str(level)))
    [outcome] = load_files(store, [("three.csv", csv_bytes(MATURITY_CSV_HEADER, rows))], "test")
    assert not outcome.rejected
    return store


def _views(store):
    from bfc_data.outputs import charts
    year = (2024,)
    whole = charts.plain_table(analysis.levels(store, "priority_area", analysis.Filters(years=year), THRESHOLD))
    parts = {s: charts.plain_table(analysis.levels(store, "priority_area", analysis.Filters(years=year, sectors=(s,)), THRESHOLD))
             for s in ("Health", "Business", "Faith")}
    by_sector = charts.plain_table(analysis.levels(store, ["sector", "priority_area"], analysis.Filters(years=year), THRESHOLD))
    return whole, parts, by_sector


def test_the_attack_finds_the_leak_when_complementary_suppression_is_off(one_small_sector, monkeypatch):
    """The checks above can fail: with only primary suppression, subtraction gives the small sector away."""
    from bfc_data.analysis import disclosure
    whole, parts, by_sector = _views(one_small_sector)
    assert not differencing_breaches(whole, parts, "protected") and not by_sector_breaches(by_sector, "protected")
    monkeypatch.setattr(disclosure, "complementary", lambda counts, primary, lines, order=None: primary & False)
    whole, parts, by_sector = _views(one_small_sector)
    assert differencing_breaches(whole, parts, "broken")
    assert by_sector_breaches(by_sector, "broken")
