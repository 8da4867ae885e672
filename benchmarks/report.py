"""Render benchmarks/out/*.json into docs/performance.md and two plots (placeholder)."""
def write():
    pass
