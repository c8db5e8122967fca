"""Prefect flows and tasks (thin) and the `themewire` CLI."""
