"""DuckDB only: schema and versioned migrations, idempotent loads, analyst views."""
