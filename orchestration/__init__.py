"""ogi-warehouse: Dagster code location and the Dagster-free parsing library."""
