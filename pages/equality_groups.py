import streamlit as st

from bfc_data import analysis
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts
from pages.shared.chart import show_chart
from pages.shared.people import threshold
from pages.shared.start import page_start
from pages.shared.store import chart, figures

store, year, filters = page_start("pages/equality_groups.py", "Equality groups")

frame = figures(analysis.levels, "equality_group", filters, threshold())
frame["equality_group"] = frame["equality_group"].map(lambda g: store.fw.focus_label(g, year))
show_chart(chart(charts.level_bars, frame, "equality_group", f"Mean maturity level by equality group, {year_label(year)}"),
           "equality_group_levels")
st.caption("Year one focused on race, disability and sex (gender); year two added LGBTQI+ Londoners (sexual orientation) "
           "and older Londoners (age).")

st.subheader("Intersectional rows: two groups at once")
cross = figures(analysis.intersectional, filters, threshold())
show_chart(chart(charts.heatmap, cross, "intersecting_group", "equality_group",
                          f"Mean maturity level of intersectional rows, {year_label(year)}"), "intersectional")
