"""sentence-transformers imported without the packages and modules it never uses for `qa`.

Importing sentence-transformers imports SciPy and scikit-learn (which brings pandas) for
three functions that only training and evaluation code calls: `sklearn.metrics.
pairwise_distances` (a sparse Manhattan similarity), `scipy.sparse.coo_matrix` (a tensor
conversion) and `scipy.optimize.linear_sum_assignment` (transformers' object-detection
loss). That is about 1.3 s of a cold `qa ask` and 170 MB of a serving process's memory.
While sentence-transformers is imported, those packages are stand-ins whose names resolve
to the real objects on first use, so nothing changes for a caller that does use them.

The same holds for PyTorch's FSDP, which transformers imports (through
`modeling_utils` -> `integrations.accelerate` -> `distributed.fsdp`) for sharding a model in
training: 0.1-0.2 s and 80 modules. It is deferred only with the releases whose importers were
read name by name (`TRANSFORMERS_VERIFIED`): there its names are only called, by code that runs
after the import. With other releases, or if the deferred import fails in any way,
sentence-transformers is imported plainly. The rest of what transformers imports for kernels and
distributed loading cannot be deferred this way: `PreTrainedModel`'s own class body runs
`@torch.compiler.allow_in_graph` (torch._dynamo), and `distributed.expert_parallel` calls
`torch.distributed.tensor.Shard(0)` at import (DTensor, SymPy).
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

# transformers.distributed.fsdp (imported by transformers.modeling_utils through
# integrations.accelerate) imports PyTorch's FSDP at its top and only calls fully_shard,
# CPUOffloadPolicy and MixedPrecisionPolicy, in functions that shard a model for training.
# Read in sentence-transformers 6.3.0 / transformers 5.25.0 / torch 2.13.0: no module those
# imports load uses a name of these two at import time (torch._dynamo binds the module
# `_fsdp_param_group` and reads it only while tracing a model).
TRANSFORMERS_DEFERRED = ("torch.distributed._composable.fsdp", "torch.distributed.fsdp")
# (sentence-transformers, transformers, torch) releases TRANSFORMERS_DEFERRED was checked against
TRANSFORMERS_VERIFIED = {("6.3.0", "5.25.0", "2.13.0+cpu")}

_lock = threading.Lock()


class _Deferred:
    """A name imported from a deferred package: the real object is imported on first use."""

    __slots__ = ("_module", "_name", "_target")

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name, self._target = module, name, None

    def _resolve(self) -> Any:
        if self._target is None:
            target = getattr(importlib.import_module(self._module), self._name)
            if isinstance(target, _Deferred):  # used while its module is still a stand-in
                raise ImportError(f"{self._module}.{self._name} used during a deferred import")
            self._target = target
        return self._target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._resolve()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resolve(), name)

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, self._resolve())

    def __subclasscheck__(self, subclass: type) -> bool:
        return issubclass(subclass, self._resolve())

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
        if any(name == p or name.startswith(p + ".") for p in self.packages):
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
            for name, module in [(n, m) for n, m in sys.modules.items() if isinstance(m, _StandIn)]:
                del sys.modules[name]
                parent, _, child = name.rpartition(".")
                # the import system set it on its (real) parent package too; vars() and not
                # getattr, which would make a lazy package import the real module now
                owner = sys.modules.get(parent)
                if owner is not None and vars(owner).get(child) is module:
                    delattr(owner, child)


def _versions() -> tuple[str, ...]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sentence-transformers"), version("transformers"), version("torch")
    except PackageNotFoundError:
        return ()


def import_sentence_transformers() -> types.ModuleType:
    """The `sentence_transformers` package, imported (once) without SciPy, scikit-learn and
    (with the verified releases) PyTorch's FSDP."""
    module = sys.modules.get("sentence_transformers")
    if module is not None and not isinstance(module, _StandIn):
        return module
    deferred = DEFERRED
    if _versions() in TRANSFORMERS_VERIFIED:
        deferred += TRANSFORMERS_DEFERRED
    before = set(sys.modules)
    try:
        with deferring(deferred):
            import sentence_transformers
    except Exception:
        # never a broken `qa ask`: forget what this import loaded (its modules may hold
        # stand-in names) and import plainly
        for name in set(sys.modules) - before:
            if name.partition(".")[0] in ("sentence_transformers", "transformers"):
                del sys.modules[name]
        import sentence_transformers
    return sentence_transformers
