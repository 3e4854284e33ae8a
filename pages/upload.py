import hashlib

import streamlit as st

from bfc_data.intake import batch
from bfc_data.intake.safety import Limits
from bfc_data.intake.template import build_template
from bfc_data.outputs.export import csv_bytes, xlsx_bytes
from pages.shared.start import officer_page_start

store, viewer = officer_page_start("pages/upload.py", "Load returns", "load returns")

st.download_button("Download the blank return template (Excel)", build_template(store.fw), file_name="BFC_return_template.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
                   help="Generated from the reference files: the three sheets of the return, with drop-downs.")

st.markdown("Drop partners' Excel returns and CSV files here. Each file is checked first; nothing is stored until you confirm. "
            "A file with errors is never loaded and never changes what is stored; the others still load.")
round_ = st.session_state.setdefault("upload_round", 0)
uploads = st.file_uploader("Returns to load (.xlsx or .csv)", accept_multiple_files=True, key=f"uploads_{round_}",
                           type=["xlsx", "csv", "txt", "xls", "xlsm"],
                           help=f"Up to {Limits.from_environment().max_file_bytes // 1048576} MB a file.")

if "last_outcomes" in st.session_state:
    outcomes = st.session_state["last_outcomes"]
    st.success(f"Loaded {sum(not o.rejected for o in outcomes)} of {len(outcomes)} files.")
    st.dataframe(batch.outcomes_table(outcomes), hide_index=True, placeholder="—")

if not uploads:
    st.stop()

files = [(upload.name, upload.getvalue()) for upload in uploads]
batch_key = tuple((name, hashlib.sha256(data).hexdigest()) for name, data in files)
if st.session_state.get("checked_key") != batch_key:
    with st.spinner("Checking the files…"):
        st.session_state["checked"] = batch.check_files(store, files, viewer)
    st.session_state["checked_key"] = batch_key
    st.session_state.pop("last_outcomes", None)
checked = st.session_state["checked"]

st.subheader("What was found")
st.dataframe(batch.batch_overview(checked), hide_index=True, placeholder="—")
report = batch.problem_report(checked)
if not report.empty:
    columns = st.columns(2)
    # The report quotes the partners' own values: organisation-level data, so each download is recorded.
    what = "problem report of " + ", ".join(item.name for item in checked)
    columns[0].download_button("Download the problems (CSV)", csv_bytes(report), file_name="BFC_problems.csv", mime="text/csv",
                               key="report_csv", icon=":material/download:", on_click=store.record_download, args=(viewer, what))
    columns[1].download_button("Download the problems (Excel)", xlsx_bytes({"Problems": report}), file_name="BFC_problems.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="report_xlsx",
                               icon=":material/download:", on_click=store.record_download, args=(viewer, what))

for item in checked:
    v = item.validated
    icon = {"accepted": ":material/check_circle:", "accepted with warnings": ":material/warning:", "rejected": ":material/cancel:"}[v.outcome]
    with st.expander(f"{item.name}: {v.outcome}", expanded=not v.ok, icon=icon):
        for line in item.load_plan:
            st.markdown(f"- {line}")
        if v.problems:
            st.dataframe(batch.problem_summary(item), hide_index=True, placeholder="—")
            st.dataframe(batch.problem_report([item]), hide_index=True, placeholder="—")

loadable = [item for item in checked if item.loadable]
rejected = [item for item in checked if not item.validated.ok]
if not loadable:
    st.warning("No file here would change what is stored: " +
               ("every file was rejected." if len(rejected) == len(checked) else "the returns are already in the store."))
    st.stop()
said = f"Load {len(loadable)} file{'s' if len(loadable) != 1 else ''}"
if rejected:
    said += f" ({len(rejected)} rejected, already recorded as refused)"
if st.button(said, type="primary", key="confirm_load"):
    bar = st.progress(0.0, text="Loading…")
    outcomes = batch.load_checked(store, checked, viewer,
                                   progress=lambda done, total, name: bar.progress(done / total, text=f"Loaded {name} ({done} of {total})"))
    st.session_state["last_outcomes"] = outcomes
    st.session_state["upload_round"] = round_ + 1
    st.session_state.pop("checked_key", None)
    st.rerun()
