"""How many cores this process may use, and one BLAS thread for the whole process."""
from __future__ import annotations

import os


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


_blas_limited = False


def single_threaded_blas() -> None:
    """One BLAS thread for the whole process (kept for its lifetime): the encoder
    parallelises over texts instead (see `qa.use.UseRunner`)."""
    global _blas_limited
    if _blas_limited:
        return
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    except Exception:
        pass
    _blas_limited = True
