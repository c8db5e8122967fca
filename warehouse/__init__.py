"""DuckDB only: schema and versioned migrations, idempotent loads, analyst views.

Public API: Warehouse (the writer), RunInfo / CrawlState / EntryPoint / LoadCounts / StoredPage (records),
article_id_for, open_reader (read-only connection to the published file), and the errors in
warehouse.errors.
"""

from .batch import article_id_for
from .errors import SchemaTooNew, WarehouseBusy, WarehouseError, WarehouseNotFound
from .reader import open_reader
from .records import CrawlState, EntryPoint, LoadCounts, RunInfo, StoredPage
from .writer import Warehouse

__all__ = ["Warehouse", "RunInfo", "CrawlState", "EntryPoint", "LoadCounts", "StoredPage", "article_id_for",
           "open_reader", "WarehouseError", "WarehouseBusy", "WarehouseNotFound", "SchemaTooNew"]
