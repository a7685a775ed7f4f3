"""peri: a lifter's own training log, turned into a personal AI strength coach.

Importing peri is light: no torch, transformers or provider SDK is imported here.
"""
from .errors import PeriError

__version__ = "0.1.0"
__all__ = ["PeriError", "__version__"]
