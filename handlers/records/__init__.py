"""Feature package (see states.py)."""
