"""Dagster-free parsing of 政府信息公开工作年度报告 files: decode, normalize, find tables and prose figures.

Nothing in this package imports Dagster or touches the warehouse; it turns bytes into typed polars frames
so that it can be tested on its own against the gold files.
"""
