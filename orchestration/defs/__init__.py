"""Dagster definitions only: thin assets and checks that call the Dagster-free code in ``parsing``/``warehouse``."""
