"""Percentiles and small formatting helpers shared by the bench modules."""

import math


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (the value below which ``pct``% of the samples fall)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "p99_ms": percentile(values, 99),
        "max_ms": max(values, default=float("nan")),
        "mean_ms": sum(values) / len(values) if values else float("nan"),
    }
