import streamlit as st

from bfc_data import aggregate, charts
from bfc_data.values import year_label
from pages.common import enter, current_filters, filters_caption, get_store, require_store_data, sample_banner, show_chart, threshold

enter("pages/sectors.py")
store = get_store()
st.title("Sectors")
sample_banner(store)
year = require_store_data(store)
filters = current_filters()
filters_caption(filters)

frame = aggregate.levels(store, "sector", filters, threshold())
show_chart(charts.level_bars(frame, "sector", f"Mean maturity level by sector, {year_label(year)}"), "sector_levels")
show_chart(charts.level_distribution(frame, "sector", f"Share of organisations at each level, by sector, {year_label(year)}"),
           "sector_distribution")

st.subheader("Sectors over time")
st.caption("This chart uses every reporting year; the year filter does not apply.")
over_time = aggregate.levels(store, ["sector", "year"], current_filters(with_year=False), threshold())
show_chart(charts.heatmap(over_time, "year", "sector", "Mean maturity level by sector and reporting year"), "sector_trend")
