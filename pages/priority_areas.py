import streamlit as st

from bfc_data import analysis
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts
from pages.shared.chart import show_chart
from pages.shared.filters import current_filters
from pages.shared.people import threshold
from pages.shared.start import page_start
from pages.shared.store import chart, figures

store, year, filters = page_start("pages/priority_areas.py", "Priority areas and actions")

st.subheader(f"Mean maturity level by priority area, {year_label(year)}")
show_chart(chart(charts.level_bars, figures(analysis.levels, "priority_area", filters, threshold()), "priority_area",
                             f"Mean maturity level by priority area, {year_label(year)}"), "priority_area_levels")

st.subheader(f"Where organisations stand on each action, {year_label(year)}")
actions = figures(analysis.levels, "action", filters, threshold())
show_chart(chart(charts.level_distribution, actions, "action", f"Share of organisations at each level, by action, {year_label(year)}"),
           "action_levels")
if any(a.working_title for a in store.fw.actions.values()):
    st.caption("Action titles are working titles until the plan's agreed wording is entered in the reference files.")

st.subheader("Priority areas over time")
st.caption("This chart uses every reporting year; the year filter does not apply.")
every_year = current_filters(with_year=False)
show_chart(chart(charts.trend_lines, figures(analysis.trend, "priority_area", every_year, threshold()),
                              "priority_area", "Mean maturity level by priority area and reporting year", filters=every_year),
           "priority_area_trend")

st.subheader("Actions over time, one panel per priority area")
actions_over_time = figures(analysis.levels, ["priority_area", "action", "reporting_year"], current_filters(with_year=False), threshold())
show_chart(chart(charts.small_multiples, actions_over_time, "priority_area", "action", "Mean maturity level of each action by reporting year"),
           "actions_trend")
