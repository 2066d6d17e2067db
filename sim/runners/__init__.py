"""Runners: the command line, a run's outputs, the province runner."""
