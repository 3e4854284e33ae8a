"""Disclosure control: the fewest cells hidden, for the true reason, and members' views kept inside the published table."""

import numpy as np
import pandas as pd
import pytest

from bfc_data import analysis
from bfc_data.analysis.disclosure import (DisclosureRefused, check_member_view, complementary, member_filters, suppress,
                                          suppress_counts)
from bfc_data.outputs import charts


def flows(cells):
    return pd.DataFrame(cells, columns=["from_level", "to_level", "count", "band"])


def test_flows_of_many_organisations_stay_when_two_small_ones_protect_each_other():
    # The sample's 2024-25 flows: the two flows of 1 are both in the published "stayed or slipped" band, so each
    # protects the other. The flows of 33 and 16 cover enough organisations and hiding them protects nothing.
    frame = flows([(1, 1, 15, "stayed or slipped"), (1, 2, 11, "moved up"), (2, 1, 1, "stayed or slipped"),
                   (2, 2, 33, "stayed or slipped"), (2, 3, 16, "moved up"), (3, 3, 8, "stayed or slipped"),
                   (4, 4, 1, "stayed or slipped")])
    protected = suppress(frame, 5, [], [["band"], []], count="count")
    assert protected["suppression"].tolist() == [None, None, "primary", None, None, None, "primary"]


def test_a_small_flow_alone_in_its_band_takes_the_smallest_other_of_that_band():
    frame = flows([(1, 1, 10, "stayed"), (1, 2, 5, "moved up"), (2, 2, 33, "stayed"), (2, 3, 6, "moved up"),
                   (3, 3, 3, "stayed"), (3, 4, 1, "moved up")])
    protected = suppress(frame, 5, [], [["band"], []], count="count")
    # 3->3 (3) and 3->4 (1) are under 5. Each is alone in its band: 1->1 (10) and 1->2 (5) are the smallest others.
    assert protected["suppression"].tolist() == ["secondary", "secondary", None, None, "primary", "primary"]


def test_crossing_lines_take_the_fewest_cells_not_the_first_found():
    # A 3 x 3 table with rows and columns as lines; one small cell in the corner. The greedy way (smallest in
    # the row, then the smallest in each column it breaks...) hides 5; the fewest is 3, a rectangle.
    counts = np.array([2, 50, 6, 40, 60, 7, 80, 90, 100], dtype=float)
    primary = counts < 5
    rows = [np.array([0, 1, 2]), np.array([3, 4, 5]), np.array([6, 7, 8])]
    columns = [np.array([0, 3, 6]), np.array([1, 4, 7]), np.array([2, 5, 8])]
    hidden = complementary(counts, primary, rows + columns)
    assert sorted(np.flatnonzero(hidden)) == [2, 3, 5]  # cells 6, 40 and 7: with the 2, a rectangle of four


def test_nothing_is_hidden_for_an_officer_or_where_nothing_is_small():
    frame = pd.DataFrame({"sector": ["A", "B"], "organisations": [1, 9], "mean_level": [2.0, 3.0]})
    assert not suppress(frame, 0, ["mean_level"], [[]])["suppressed"].any()
    assert not suppress(frame.assign(organisations=[5, 9]), 5, ["mean_level"], [[]])["suppressed"].any()


def test_counts_tables_hide_small_counts_with_their_reason():
    frame = pd.DataFrame({"sector": ["A", "B", "C"], "organisations": [3, 8, 20], "new_organisations": [0, 6, 7]})
    protected = suppress_counts(frame, 5, ["organisations", "new_organisations"], [[]], tie=["sector"])
    assert protected["organisations"].isna().tolist() == [True, True, False]
    assert protected["new_organisations"].tolist() == [0, 6, 7], "a count of none is not a small group"
    assert protected["suppression"].tolist() == ["primary", "secondary", None]


@pytest.mark.parametrize("filters, by", [
    (analysis.Filters(sectors=("Health", "Faith")), ["priority_area"]),
    (analysis.Filters(equality_groups=("Race", "Sex")), ["sector"]),
    (analysis.Filters(size_bands=("1-49",)), ["sector"]),
    (analysis.Filters(years=(2023, 2024)), ["sector"]),
    (analysis.Filters(), ["size_band"]),
])
def test_views_outside_the_published_table_are_refused(filters, by):
    with pytest.raises(DisclosureRefused):
        check_member_view(filters, by)


def test_several_years_are_allowed_as_a_trend():
    check_member_view(analysis.Filters(years=(2023, 2024), sectors=("Health",)), ["reporting_year"])


def test_member_filters_keep_one_value_and_drop_size_bands():
    chosen = member_filters(analysis.Filters(years=(2024,), sectors=("Health", "Faith"), size_bands=("1-49",)))
    assert chosen == analysis.Filters(years=(2024,), sectors=("Health",))


def test_the_sankey_says_why_a_flow_is_hidden():
    frame = pd.DataFrame({"from_level": [1, 1, 2], "to_level": [1, 2, 2], "organisations": [np.nan, np.nan, 30.0],
                          "movement": ["stayed", "moved up", "stayed"], "suppressed": [True, True, False],
                          "suppression": ["primary", "secondary", None]})
    chart = charts.transitions_sankey(frame, 2023, 2024, "t")
    assert ("2 flows are hidden: 1 because it covers too few organisations; 1 so that a small group cannot be worked out "
            "from the others.") in chart.summary
