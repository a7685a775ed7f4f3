"""Means with 95% intervals: small samples, so Student's t, not a normal approximation."""
from __future__ import annotations

import math
from collections.abc import Sequence

# two-sided 95% t critical values by degrees of freedom (df > 30: 1.96 is close enough)
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
        20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
        29: 2.045, 30: 2.042}


def mean_ci(values: Sequence[float]) -> tuple[float | None, float | None]:
    """(mean, half-width of the 95% interval); half-width None with fewer than two values."""
    xs = [float(v) for v in values if v is not None]
    if not xs:
        return None, None
    m = sum(xs) / len(xs)
    if len(xs) < 2:
        return m, None
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
    t = _T95.get(len(xs) - 1, 1.96)
    return m, t * sd / math.sqrt(len(xs))


def paired_diff_ci(a: Sequence[float], b: Sequence[float]) -> tuple[float | None, float | None]:
    """Mean and 95% half-width of a - b over paired observations (same weeks)."""
    return mean_ci([x - y for x, y in zip(a, b, strict=True)])
