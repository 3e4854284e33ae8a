import streamlit as st

from bfc_data.analysis import tracker
from bfc_data.intake.values import year_label
from bfc_data.outputs import words
from bfc_data.outputs.export import csv_bytes, xlsx_bytes
from bfc_data.outputs.tables import plain_table
from pages.shared.start import officer_page_start, require_store_data

store, viewer = officer_page_start("pages/tracker.py", "Submissions tracker", "see which organisations have returned")
year = require_store_data(store)

status = tracker.status(store, viewer, year)
sectors = tracker.by_sector(status)
chase = tracker.chase_list(status)
st.markdown(words.tracker(status, chase, year) + " The register holds every organisation in the GLA's organisation register and every one that has sent a return. "
            "Change the year in the sidebar.")
st.subheader("By sector")
st.dataframe(plain_table(sectors), hide_index=True, placeholder="—")

st.subheader("Not yet returned: the chase list")
if chase.empty:
    st.success(f"Every organisation in the register has returned for {year_label(year)}.")
else:
    table = plain_table(chase)
    table["Last returned"] = table["Last returned"].replace("", "never: not yet engaged")
    st.dataframe(table, hide_index=True, placeholder="—")
    missing_contacts = int(table["E-mail"].isna().sum())
    if missing_contacts:
        st.caption(f"{missing_contacts} have no contact e-mail on record: add them to the organisation register "
                   "(organisation_code, organisation_name, sector, contact_name, contact_email) and load it.")
    columns = st.columns(2)
    what = f"chase list {year_label(year)}"
    columns[0].download_button("Download the chase list (CSV)", csv_bytes(table), file_name=f"BFC_chase_list_{year_label(year)}.csv",
                               mime="text/csv", key="chase_csv", on_click=store.record_download, args=(viewer, what))
    columns[1].download_button("Download the chase list (Excel)", xlsx_bytes({"Chase list": table}),
                               file_name=f"BFC_chase_list_{year_label(year)}.xlsx", key="chase_xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               on_click=store.record_download, args=(viewer, what))
with st.expander("Every organisation in the register"):
    st.dataframe(plain_table(status), hide_index=True, placeholder="—")
