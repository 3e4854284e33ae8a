import streamlit as st

from bfc_data import analysis
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts
from pages.shared.chart import show_chart
from pages.shared.filters import current_filters
from pages.shared.people import threshold
from pages.shared.start import page_start
from pages.shared.store import chart, figures

store, year, filters = page_start("pages/sectors.py", "Sectors")

frame = figures(analysis.levels, "sector", filters, threshold())
show_chart(chart(charts.level_bars, frame, "sector", f"Mean maturity level by sector, {year_label(year)}"), "sector_levels")
show_chart(chart(charts.level_distribution, frame, "sector", f"Share of organisations at each level, by sector, {year_label(year)}"),
           "sector_distribution")

st.subheader("Sectors over time")
st.caption("This chart uses every reporting year; the year filter does not apply.")
over_time = figures(analysis.levels, ["sector", "reporting_year"], current_filters(with_year=False), threshold())
show_chart(chart(charts.heatmap, over_time, "reporting_year", "sector", "Mean maturity level by sector and reporting year"), "sector_trend")
