"""Benchmarks: plain scripts, not tests. Run as ``python -m bench.<name>``; results in docs/benchmarks.md."""
