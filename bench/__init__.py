"""Benchmarks: they measure and print figures; they are not tests (``python -m bench.<name>``)."""
