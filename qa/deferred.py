"""sentence-transformers imported without the packages it never uses for `qa`.

Importing sentence-transformers imports SciPy and scikit-learn (which brings pandas) for
three functions that only training and evaluation code calls: `sklearn.metrics.
pairwise_distances` (a sparse Manhattan similarity), `scipy.sparse.coo_matrix` (a tensor
conversion) and `scipy.optimize.linear_sum_assignment` (transformers' object-detection
loss). That is about 1.3 s of a cold `qa ask` and 170 MB of a serving process's memory.
While sentence-transformers is imported, those packages are stand-ins whose names resolve
to the real objects on first use, so nothing changes for a caller that does use them.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
import types
from contextlib import contextmanager
from typing import Any, Iterator

DEFERRED = ("sklearn", "scipy")

_lock = threading.Lock()


class _Deferred:
    """A name imported from a deferred package: the real object is imported on first use."""

    __slots__ = ("_module", "_name", "_target")

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name, self._target = module, name, None

    def _resolve(self) -> Any:
        if self._target is None:
            self._target = getattr(importlib.import_module(self._module), self._name)
        return self._target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._resolve()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resolve(), name)

    def __repr__(self) -> str:
        return f"<deferred {self._module}.{self._name}>"


class _StandIn(types.ModuleType):
    """A deferred package (or one of its modules) while sentence-transformers is imported."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Deferred(self.__name__, name)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, packages: set[str]) -> None:
        self.packages = packages

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name.partition(".")[0] in self.packages:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StandIn(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


@contextmanager
def deferring(packages: tuple[str, ...] = DEFERRED) -> Iterator[None]:
    """Within this block, importing `packages` (not already imported) gives stand-ins; on
    leaving it they are dropped from `sys.modules`, so later imports get the real ones."""
    with _lock:
        finder = _Finder({p for p in packages if p not in sys.modules})
        sys.meta_path.insert(0, finder)
        try:
            yield
        finally:
            sys.meta_path.remove(finder)
            for name in [n for n, m in sys.modules.items() if isinstance(m, _StandIn)]:
                del sys.modules[name]


def import_sentence_transformers() -> types.ModuleType:
    """The `sentence_transformers` package, imported (once) without SciPy and scikit-learn."""
    module = sys.modules.get("sentence_transformers")
    if module is not None and not isinstance(module, _StandIn):
        return module
    with deferring():
        import sentence_transformers
    return sentence_transformers
