from dataclasses import replace

import streamlit as st

from bfc_data import analysis
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts
from pages.shared.chart import show_chart
from pages.shared.people import threshold
from pages.shared.start import page_start
from pages.shared.store import chart, figures

store, year, filters = page_start("pages/progress.py", "Progress over time", with_year=False)
years = figures(analysis.years)

st.subheader("Mean maturity level by reporting year")
by_options = {"All organisations": None, "Priority area": "priority_area", "Sector": "sector",
              "Equality group": "equality_group", "Role": "role"}
by_label = st.radio("Lines for", list(by_options), horizontal=True, key="progress_by")
by = by_options[by_label]
show_chart(chart(charts.trend_lines, figures(analysis.trend, by, filters, threshold()), by, "Mean maturity level by reporting year",
                             filters=filters),
           "trend")

st.subheader("Who moved up, stayed or slipped")
if len(years) < 2:
    st.info("Movement needs returns from two reporting years.")
else:
    later_options = years[1:]
    columns = st.columns(2)
    to_year = columns[1].selectbox("Later year", later_options, index=len(later_options) - 1 if year not in later_options
                                   else later_options.index(year), format_func=year_label, key="progress_to")
    earlier_options = [y for y in years if y < to_year]
    from_year = columns[0].selectbox("Earlier year", earlier_options, index=len(earlier_options) - 1,
                                     format_func=year_label, key="progress_from")
    moving = filters
    if threshold() and filters.sectors:
        # See analysis.transitions: for one sector the flows would be a line that the members' table does not protect.
        moving = replace(filters, sectors=())
        st.caption("Board members see movement between levels across all sectors: for one sector the flows are too small "
                   "to publish safely.")
    show_chart(chart(charts.movement_bars, figures(analysis.movement, from_year, to_year, moving, threshold()), from_year, to_year,
                                    f"Organisations by change of level, {year_label(from_year)} to {year_label(to_year)}"),
               "movement")
    show_chart(chart(charts.transitions_sankey, figures(analysis.transitions, from_year, to_year, moving, threshold()), from_year, to_year,
                                         f"From level to level, {year_label(from_year)} to {year_label(to_year)}"), "transitions")
    st.caption("An organisation's level is its own mean level rounded to the nearest level; only organisations that "
               "returned in both years count.")

st.subheader("Distance travelled since each organisation's first return, by sector")
show_chart(chart(charts.distance_bars, figures(analysis.distance_by, "sector", filters, threshold()),
                                "Mean change from first to latest return, by sector"), "distance_travelled")
