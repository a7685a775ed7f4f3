"""Tags an app writes into an exercise's name to group it with others: MacroFactor's workout-history CSV names a
superset member "Reverse Nordic Curl ∈ SS1" and a circuit member "... ∈ C1" (`data/import_vocabulary.yaml`
`exercise_group_tags`, with the public source of the shape). The tag is no part of the exercise: left on, it
would make "Reverse Nordic Curl" and "Reverse Nordic Curl ∈ SS1" two lifts and keep both from the catalog.
peri's store keeps no superset or circuit grouping (Hevy's superset_id is not kept either), so the name is read
without its tag and the report says how many names carried one.
"""
from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _tag() -> tuple[str, re.Pattern[str], dict[str, str]]:
    from .dialect import vocabulary  # dialect builds on base: imported when a name holds the marker

    v = vocabulary()["exercise_group_tags"]
    labels = {str(k).lower(): str(kind) for k, kind in v["labels"].items()}
    words = "|".join(re.escape(k) for k in sorted(labels, key=len, reverse=True))
    marker = str(v["marker"])
    return marker, re.compile(rf"^(.*?\S)\s*{re.escape(marker)}\s*({words})\s*(\d+)\s*$", re.I), labels


def split_group_tag(name: str) -> tuple[str, str | None]:
    """(the name without its group tag, "superset 1" / "circuit 2"), or (name, None) for a name with no tag."""
    marker, pattern, labels = _tag()
    if marker not in name:
        return name, None
    m = pattern.match(name)
    if m is None:
        return name, None
    return m.group(1).strip(), f"{labels[m.group(2).lower()]} {int(m.group(3))}"
