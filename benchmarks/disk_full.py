"""`qa index` on a disk that fills up at every stage of a build: a tmpfs sized from a fifth of a
finished index to more than all of it (needs root). Each run must end with exit 0, or exit 1
and one line naming the full disk (never a crash, a signal or a traceback); after the disk is
grown, the next `qa index` must finish, every passage must equal its document's text[start:end],
and the index must hold what a build on a roomy disk holds.

    sudo nice -n 10 .venv/bin/python benchmarks/disk_full.py [--files 240] [--steps 12] [--low 0.2] [--high 1.4] [--shards N] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, save_json  # noqa: E402
from crash_phases import XQUAD, answers, content, make_corpus, slices_hold  # noqa: E402


def run_index(docs: Path, index: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index), *extra],
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=240)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--xquad", type=Path, default=XQUAD)
    parser.add_argument("--shards", type=int, default=None)
    parser.add_argument("--low", type=float, default=0.2, help="the smallest disk, times the finished index")
    parser.add_argument("--high", type=float, default=1.4, help="the largest disk, times the finished index")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    extra = ("--shards", str(args.shards)) if args.shards else ()
    work = Path(tempfile.mkdtemp(prefix="qa-disk-full-"))
    rows = []
    try:
        docs = work / "docs"
        make_corpus(docs, args.files, args.xquad)
        run_index(docs, work / "fresh", *extra).check_returncode()
        fresh = content(work / "fresh")
        full = size_of(work / "fresh")
        for step in range(args.steps):
            size = int(full * (args.low + (args.high - args.low) * step / max(1, args.steps - 1)))
            disk = work / f"disk{step}"
            disk.mkdir()
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], check=True)
            try:
                result = run_index(docs, disk / "index", *extra)
                lines = result.stderr.strip().splitlines()
                row = {"disk_kb": size // 1024, "exit": result.returncode,
                       "stderr": lines[-1][:160] if lines else "", "stderr_lines": len(lines)}
                subprocess.run(["mount", "-o", f"remount,size={full * 4}", str(disk)], check=True)
                again = run_index(docs, disk / "index", "--json", *extra)
                total, bad = slices_hold(disk / "index")
                after = content(disk / "index")
                row.update({"next_exit": again.returncode, "passages": total, "slices_wrong": bad,
                            "reader": answers(disk / "index"),
                            "same_as_fresh": all(after[key] == fresh[key] for key in fresh),
                            "leftover_tmp": sorted(p.name for p in (disk / "index").rglob("*.tmp"))})
                if again.returncode == 0:
                    report = json.loads(again.stdout)
                    row["next_embedded"] = report["passages_embedded"]
            finally:
                subprocess.run(["umount", "-l", str(disk)], check=False)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
        if args.json:
            save_json(args.json, {"files": args.files, "index_bytes": full, "rows": rows})
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
