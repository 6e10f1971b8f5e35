"""Dagster-free operations on the warehouse files: landing, storing parsed tables, publishing."""
