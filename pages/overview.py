import streamlit as st

from bfc_data import overview
from bfc_data.values import year_label
from pages.common import get_store, sample_banner

store = get_store()
st.title("Building a Fairer City: progress overview")
sample_banner(store)

headline = overview.headline(store)
if headline is None:
    st.warning("No returns have been loaded yet. Officers can load returns with `python -m bfc_data load`.")
    st.stop()

st.subheader(f"Reporting year {year_label(headline.year)}")
columns = st.columns(4)
columns[0].metric("Organisations returning", headline.organisations, headline.organisations_change,
                  help="Organisations with a current return for this reporting year; the change is against the year before.")
columns[1].metric("Mean maturity level (1–4)", f"{headline.mean_level:.2f}",
                  None if headline.mean_level_change is None else f"{headline.mean_level_change:+.2f}",
                  help="The mean over organisations of each organisation's own mean level; each organisation counts once. "
                       "The change is the average progress of the organisations that returned in both this year and the year before.")
columns[2].metric("Sectors represented", headline.sectors)
columns[3].metric("Returns loaded, all years", headline.returns_all_years)
st.markdown(headline.summary)

st.subheader("Mean maturity level by reporting year")
by_year = overview.by_year(store)
st.dataframe(by_year, hide_index=True, width="content")
