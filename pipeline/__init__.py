"""pipeline: read -> segment -> extract -> link -> check -> store/report."""
__version__ = "0.1.0"

from pipeline import recache as _recache

_recache.install()  # compiled patterns from the previous run's cache (pipeline/recache.py)
