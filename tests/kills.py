"""A real `qa index` killed at a chosen moment (tests/test_shards.py, tests/test_shard_stats.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from conftest import ROOT


def kill_update_between_shards(docs: Path, index: Path, generation: Callable[[], int]) -> None:
    """Run `qa index docs --index index` in a process of its own and SIGKILL it once the
    second shard's store moves past `generation()`'s value at the call (the first shard done,
    the second begun)."""
    second = generation()
    proc = subprocess.Popen([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    started = time.monotonic()
    while generation() == second:
        assert proc.poll() is None, f"the update ended before its second shard began: {proc.stderr.read()}"
        assert time.monotonic() - started < 300
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
