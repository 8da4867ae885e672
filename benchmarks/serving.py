"""Helpers of the reliability and chat benchmarks: XQuAD as files, a `qa serve` process."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import ROOT, xquad_dir

XQUAD = xquad_dir() or ROOT.parent / "shared" / "bench" / "xquad"


def squad_to_files(path: Path, folder: Path) -> list[tuple[str, str]]:
    """Write each SQuAD context as its own text file; return (question, file name) pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    pairs = []
    n = 0
    for article in data["data"]:
        for para in article["paragraphs"]:
            n += 1
            name = f"p{n:04d}.txt"
            (folder / name).write_text(para["context"], encoding="utf-8")
            pairs.extend((q["question"], name) for q in para["qas"])
    return pairs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index: Path, cwd: Path, env_extra: dict | None = None) -> tuple[subprocess.Popen, str, float]:
    """`qa serve` on a free port; returns (process, url, seconds to ready)."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port)],
                            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("qa serve exited")
            time.sleep(0.1)
    return proc, url, time.perf_counter() - started


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]
