import streamlit as st

from bfc_data.analysis import history
from bfc_data.intake.values import year_label
from bfc_data.outputs.export import csv_bytes
from bfc_data.store import NotFound
from pages.shared.start import officer_page_start
from pages.shared.store import figures

store, viewer = officer_page_start("pages/history.py", "History of returns", "see the history of returns")

organisations = figures(history.organisation_choices, viewer)
years = figures(history.year_choices)
columns = st.columns(2)
code = columns[0].selectbox("Organisation", [None, *organisations], key="history_organisation",
                            format_func=lambda c: "All organisations" if c is None else f"{organisations[c]} ({c})")
year = columns[1].selectbox("Reporting year", [None, *years], key="history_year",
                            format_func=lambda y: "All years" if y is None else year_label(y))

if "restored" in st.session_state:
    st.success(st.session_state.pop("restored"))

tab_returns, tab_register = st.tabs(["Returns", "Load register"])
with tab_returns:
    submissions = figures(history.submissions_table, viewer, code, year)
    if submissions.empty:
        st.info("No returns match.")
    else:
        st.caption("Newest first. A return is current until a later one for the same organisation and year replaces it; "
                   "replaced returns are kept and can be restored.")
        st.dataframe(submissions, hide_index=True, placeholder="—")
        # Written when clicked: the list can run to thousands of returns, and most reruns never download it.
        st.download_button("Download this list (CSV)", lambda: csv_bytes(submissions), file_name="BFC_returns.csv", mime="text/csv",
                           key="history_csv", on_click=store.record_download, args=(viewer, "list of returns (history page)"))

        st.subheader("A return in detail")
        said = history.descriptions(submissions)
        if len(said) < len(submissions):
            st.caption(f"The {len(said)} newest returns in the list above are offered here. To find an older one, choose "
                       "its organisation or reporting year at the top of the page.")
        choice = st.selectbox("Return", list(said), key="history_return", format_func=said.get)
        try:
            name, data = store.raw_file(viewer, choice)
        except NotFound:
            st.info("The file this return came in is not kept in this store.")
        else:
            st.download_button(f"Download the file exactly as it was sent ({name})", data, file_name=name, key="raw_file",
                               on_click=store.record_download, args=(viewer, f"raw file of submission {choice}"),
                               icon=":material/download:")
            st.caption("This is the partner's file byte for byte, for audit: unlike the dashboard's own downloads it is not made "
                       "safe, so it may hold formulas or macros. Open it only in a protected view.")
        row = submissions[submissions["Return"] == choice].iloc[0]
        if row["Status"] == "superseded" and row["Reporting year"]:
            st.markdown(f"This return was replaced by a later one. Restoring it makes it {row['Organisation code']}'s current "
                        f"{row['Reporting year']} return again; the later one stays in the history.")
            sure = st.checkbox(f"Yes, make return {choice} current again", key="restore_sure")
            if st.button("Restore this return", disabled=not sure, key="restore"):
                try:
                    st.session_state["restored"] = store.restore(choice, viewer)
                except NotFound as missing:
                    st.error(str(missing))
                else:
                    st.session_state.pop("restore_sure", None)
                    st.rerun()  # the list above is drawn again, with the restored return current
with tab_register:
    st.caption("Every load, refusal, restore and download of organisation-level data, in order. Entries are only ever added.")
    st.dataframe(history.load_register_table(store, viewer), hide_index=True, placeholder="—")
