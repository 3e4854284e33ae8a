"""`streamlit run dashboard.py` gets ready before its first visitor: the dashboard's modules imported and the store
open (the sample store built, when there is none), before the server answers its health check."""

import urllib.request
from pathlib import Path

from browser import SERVERS, streamlit_server

from bfc_data.store import Store
from bfc_data.store.startup import is_sample


def test_the_server_imports_and_opens_its_store_before_anyone_visits(tmp_path):
    db = tmp_path / "bfc.duckdb"
    assert not db.exists()
    with streamlit_server(db) as url:
        # No page has been asked for, yet pandas' and pyarrow's compiled parts are loaded, and the sample store is
        # built (it is built only when the store is opened).
        maps = Path(f"/proc/{SERVERS[url].pid}/maps").read_text()
        assert "/pandas/_libs/" in maps and "/pyarrow/" in maps
        assert db.exists()
    with Store(db, read_only=True) as store:
        assert is_sample(store)
        assert store.query("SELECT count(*) AS n FROM submissions")["n"].iloc[0] > 0


def test_a_store_that_cannot_be_opened_does_not_stop_the_server_starting(tmp_path):
    # The pages then say why in their own words (test_pages: test_a_store_that_cannot_be_opened_is_said_in_words_on_every_page).
    db = tmp_path / "bfc.duckdb"
    db.write_bytes(b"not a database at all" * 100)
    with streamlit_server(db) as url:
        assert urllib.request.urlopen(f"{url}/_stcore/health", timeout=5).read() == b"ok"
        assert SERVERS[url].poll() is None
    assert "Traceback" not in (db.parent / "streamlit.log").read_text()
