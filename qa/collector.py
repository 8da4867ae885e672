"""Python's cyclic garbage collector kept off the objects that opening a reader makes.

Opening a `Retriever` with the default model imports PyTorch, sentence-transformers and
transformers: about 570,000 objects (the collector's count) that live as long as the process. The
collector traverses them again and again while they are made (a full collection each time the old
generation has grown by a quarter), at every full collection after that, and once more when the
process exits: 1.4-2 s of a cold `qa ask`'s 4-6 s of CPU (docs/performance.md, "Session 21").
`opening()` pauses the collector while they are made and then moves every object alive to the
permanent generation (`gc.freeze`), which later collections, and the one at exit, do not traverse.
The price: the cyclic garbage those imports leave (about 7 MB) is not freed. For the command line's
one-shot processes; a program that opens a `Retriever` keeps its collector as it set it.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def opening() -> Iterator[None]:
    """The collector paused within the block; what is alive at its end frozen (`gc.freeze`), and the
    collector then as it was before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
