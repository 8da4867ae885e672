"""qa: ask questions of a folder of documents; get back the passages that answer, cited."""
from __future__ import annotations

__version__ = "0.1.0"

# The public names are imported on first use: `qa ask` and `qa serve` run `python -m qa`,
# which imports this package, and must not import the write path (qa.indexer) with it.
_EXPORTS = {"Answer": "records", "BuildReport": "records", "Passage": "records", "QAError": "errors",
            "Retriever": "retrieval", "search": "retrieval", "build_index": "indexer"}

__all__ = ["Answer", "BuildReport", "Passage", "QAError", "Retriever", "build_index", "search", "__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qa' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
