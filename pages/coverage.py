import streamlit as st

from bfc_data import analysis
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts, words
from pages.shared.chart import show_chart
from pages.shared.people import organisation_pages_enabled, threshold, viewer
from pages.shared.start import page_start
from pages.shared.store import chart, figures

store, year, filters = page_start("pages/coverage.py", "Coverage: who is taking part", with_year=False)

frame = figures(analysis.coverage, filters, threshold())
show_chart(chart(charts.coverage_chart, figures(analysis.coverage_by_year, filters, threshold()), year,
                                 "Organisations returning, new and lapsed, by reporting year"), "coverage_by_year")

st.subheader(f"Organisations returning by sector, {year_label(year)}")
this_year = frame[frame["reporting_year"] == year]
show_chart(chart(charts.count_bars, this_year, "sector", "organisations", f"Organisations returning by sector, {year_label(year)}"),
           "coverage_by_sector")

st.subheader(f"Not yet returned for {year_label(year)}")
counts = figures(analysis.not_returned_count, year, filters, threshold())
total = figures(analysis.not_returned_total, year, filters, threshold())
if counts.empty:
    st.success(words.not_returned(0, year, threshold()))
else:
    st.markdown(words.not_returned(total, year, threshold()))
    st.dataframe(charts.plain_table(counts), hide_index=True, placeholder="—")
    if organisation_pages_enabled():
        missing = figures(analysis.not_returned, viewer(), year, filters)
        st.dataframe(charts.plain_table(missing), hide_index=True, placeholder="—")
    else:
        st.caption("Organisation names are shown to officers only.")

st.subheader(f"Support wanted, {year_label(year)}")
by_label = st.radio("Support wanted by", ["Priority area", "Sector"], horizontal=True, key="support_by")
by = "sector" if by_label == "Sector" else "priority_area"
demand = figures(analysis.support_wanted_by, by, filters.only_year(year), threshold())
wanting = figures(analysis.organisations_wanting, filters.only_year(year), threshold())
show_chart(chart(charts.support_wanted, demand, wanting, by, year, threshold(),
                                 f"Organisations asking for each learning format, by {(by_label or 'priority area').lower()}, "
                                 f"{year_label(year)}"), "support_wanted")
