import streamlit as st

from bfc_data import analysis
from bfc_data.analysis import overview
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts, words
from pages.shared.chart import show_chart
from pages.shared.filters import current_filters
from pages.shared.people import threshold
from pages.shared.start import page_start
from pages.shared.store import chart, figures

store, year, filters = page_start("pages/overview.py", "Building a Fairer City: progress overview")

headline = figures(overview.headline, year)
if headline is None:
    st.warning(f"No returns have been loaded for {year_label(year)}.")
    st.stop()

st.subheader(f"Reporting year {year_label(headline.reporting_year)}")
columns = st.columns(4)
columns[0].metric("Organisations returning", headline.organisations, headline.organisations_change,
                  help="Organisations with a current return for this reporting year; the change is against the year before.")
columns[1].metric(f"Mean maturity level ({headline.scale_span})", f"{headline.mean_level:.2f}",
                  None if headline.mean_level_change is None else f"{headline.mean_level_change:+.2f}",
                  help="The mean over organisations of each organisation's own mean level; each organisation counts once. "
                       "The change is the average progress of the organisations that returned in both this year and the year before.")
columns[2].metric("Sectors represented", headline.sectors)
columns[3].metric("Returns loaded, all years", headline.returns_all_years)
st.markdown(headline.summary)
st.caption("The headline figures cover every organisation returning this year; the filters apply to the charts below.")

frame = figures(analysis.levels, ["sector", "priority_area"], filters, threshold())
show_chart(chart(charts.heatmap, frame, "priority_area", "sector", f"Mean maturity level by sector and priority area, {year_label(year)}"),
           "sector_by_priority_area")

st.subheader("Biggest movers since the year before")
movers = figures(analysis.biggest_movers, "sector", year, filters, threshold())
said = words.movers(movers, "sector", year, earlier_year=year - 1 in figures(analysis.years))
if movers.empty:
    st.info(said)
else:
    st.dataframe(charts.plain_table(movers), hide_index=True, placeholder="—",
                 column_config={"Change": st.column_config.NumberColumn(format="%+.2f"),
                                "Year before": st.column_config.NumberColumn(format="%.2f"),
                                "This year": st.column_config.NumberColumn(format="%.2f")})
    st.markdown(f"**In words:** {said}")

st.subheader("Mean maturity level by reporting year")
every_year = current_filters(with_year=False)
st.caption(f"Filtered to {words.filtered_to(every_year)}." if words.filtered_to(every_year) else "All organisations.")
st.dataframe(charts.plain_table(figures(analysis.levels, "reporting_year", every_year, threshold())
                                [["reporting_year", "organisations", "mean_level", "suppression"]]),
             hide_index=True, placeholder="—", width="content")
