"""Report queries (seed 001/003): each module reads one report's figures for a scope and a period."""
