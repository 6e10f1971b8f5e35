"""Benchmark and measurement code: scoring against the development set. Not part of the pipeline."""
