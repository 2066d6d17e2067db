"""Measures: one definition of each figure a run reports, its tables and its figures."""
