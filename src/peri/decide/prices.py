"""Moved to `peri.prices` (ground layer, so backends and the dataset builder need not import decide).

Kept as a re-export so code and user scripts written against `peri.decide.prices` keep working."""
from ..prices import (  # noqa: F401
    OPENAI_MAX_EXAMPLE_EPOCHS,
    OPENAI_MIN_EXAMPLE_EPOCHS,
    LocalCost,
    ModelPrice,
    PriceTable,
    TokenPrice,
    TrainingPrice,
    load_prices,
)
