"""pipeline: read -> segment -> extract -> link -> check -> store/report."""
__version__ = "0.1.0"
