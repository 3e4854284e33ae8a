"""The store: returns, their history, the raw files and the load register, in one DuckDB file.

- `database`: the file, its tables and views, reads and the one-at-a-time write transaction
- `loading`: loading validated files whole or not at all, plans, supersede and restore
- `audit`: the load register, the history of returns and the files as sent
- `measures`: the programme's figure (an organisation's own mean level), kept current with every load
- `startup`: opening the dashboard's store, built from the sample data on first start
"""

from __future__ import annotations

from bfc_data.access import AccessRefused
from bfc_data.store.audit import Audit
from bfc_data.store.database import DATA_TABLES, DEFAULT_DB, RETURNED, Database, NotFound, StoreUnavailable, default_path
from bfc_data.store.loading import Loading, LoadOutcome, load_files, load_validated


class Store(Loading, Audit, Database):
    """The store in one DuckDB file: open it with a path (or `BFC_DB`), read with `query`, load with
    `load_validated`. Safe to share between threads: each read takes its own cursor, writes go one at a time."""


__all__ = ["AccessRefused", "DATA_TABLES", "DEFAULT_DB", "LoadOutcome", "NotFound", "RETURNED", "Store", "StoreUnavailable",
           "default_path", "load_files", "load_validated"]
