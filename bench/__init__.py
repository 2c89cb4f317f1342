"""Peyvand's benchmark harness (`make bench`): each figure beside its anchor, same run, same data.

Entry point: ``python -m bench.run --size N [--db sqlite|postgres|both] [--only ...]``.
"""
