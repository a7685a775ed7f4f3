"""Charts as inline SVG, drawn on the server by the same matplotlib functions the CLI's `--plot` uses."""
from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()  # pyplot keeps global state: one figure at a time across request threads
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def svg(draw: Callable[[Path], Any]) -> str:
    """Run `draw(path)` with a temporary .svg path and return the SVG element (prolog removed) for inlining."""
    import matplotlib

    # text kept as text (readable, searchable, a screen reader's), ids from a fixed salt (the same chart twice is
    # the same SVG)
    with _LOCK, tempfile.TemporaryDirectory(prefix="peri-chart-") as d, \
            matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "peri"}):
        path = Path(d) / "chart.svg"
        draw(path)
        text = path.read_text(encoding="utf-8")
    return _PROLOG.sub("", text, count=1)


_DRAWN: OrderedDict[str, str] = OrderedDict()  # the athlete page's chart by what it shows, newest last
_DRAWN_MAX = 64


def stats_svg(weeks: list[Any], title: str, unit: str = "kg") -> str:
    """The training-trends chart. Drawing takes ~0.6 s of matplotlib, and the athlete page draws it on every
    visit and after every form post; the same weeks, title and unit give the same SVG (fixed hash salt), so a
    chart already drawn is reused, keyed by everything it shows (never by athlete name alone: new sets change it)."""
    from ..log.stats import stats_plot

    shown = json.dumps([title, unit, [w.model_dump(mode="json") if hasattr(w, "model_dump") else w for w in weeks]],
                       sort_keys=True, default=str)
    key = hashlib.sha256(shown.encode()).hexdigest()
    with _LOCK:
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return _DRAWN[key]
    text = svg(lambda p: stats_plot(weeks, p, title=title, unit=unit))
    with _LOCK:
        _DRAWN[key] = text
        while len(_DRAWN) > _DRAWN_MAX:
            _DRAWN.popitem(last=False)
    return text


def cost_svg(report: Any) -> str:
    from ..decide.chart import cost_chart

    return svg(lambda p: cost_chart(report, p))


def quality_svg(res: Any) -> str:
    from ..evaluate.report import chart_quality_vs_tokens

    return svg(lambda p: chart_quality_vs_tokens(res, p))
