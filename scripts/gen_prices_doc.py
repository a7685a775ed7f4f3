"""Write docs/prices.md from the price table and the hosted providers' data file (run after editing either)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

if __name__ == "__main__":
    os.environ["PERI_HOME"] = tempfile.mkdtemp()  # the shipped table only, never a user's override
    from peri.tune.provider_table import render_prices_doc

    Path(__file__).resolve().parents[1].joinpath("docs", "prices.md").write_text(render_prices_doc())
