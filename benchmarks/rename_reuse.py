"""What `qa index` embeds after a folder is renamed: 20 files of XQuAD paragraphs (en, de, es, a few
paragraphs each) in a subfolder beside 20 others, indexed, the subfolder renamed, indexed again.
Runs `qa index` as a process (single index and 3 shards) and reports the update's passages embedded
and kept, and its CPU time (user + system of the process, model load included).

    nice -n 10 .venv/bin/python benchmarks/rename_reuse.py [--checkout DIR] [--ray] [--json]

`--checkout DIR`: run the `qa` of another checkout (e.g. an export of an older commit).
`--ray`: 3 shards built by `build_on_ray` on a new local Ray cluster (`address="local"`, one per
run, in a process that counts what the embedding actors embedded); the CPU time is that of every
process of the run, the cluster's included, its start included, read from /proc every 50 ms (a
lower bound: a process's last 50 ms may be missed); `unchanged_cpu_s` is a run with nothing to do.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import time
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, XQUAD_DIRS  # noqa: E402


def make_docs(docs: Path) -> None:
    xquad = next(d for d in XQUAD_DIRS if d.exists())
    paragraphs = []
    for lang in ("en", "de", "es"):
        data = json.loads((xquad / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
        paragraphs += [p["context"] for article in data for p in article["paragraphs"]][:40]
    for n in range(40):
        folder = docs / "reports" if n < 20 else docs
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"file{n:02d}.txt").write_text("\n\n".join(paragraphs[n * 3:n * 3 + 3]) + "\n", encoding="utf-8")


def run(root: Path, docs: Path, index: Path, *extra: str) -> tuple[dict, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index), "--json", *extra],
                         capture_output=True, text=True, check=True, cwd=root,
                         env=dict(os.environ, PYTHONPATH=str(root)))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out.stdout), cpu


# the driver of a Ray run: counts the passages the actors embedded (`qa.cluster.index._embed`)
RAY_DRIVER = '''
import json, sys
from qa.cluster import index as on_ray
embed, counted = on_ray._embed, []
def count(*args, **kwargs):
    parts = embed(*args, **kwargs)
    counted.append(sum(len(part["text"]) for part in parts.values()))
    return parts
on_ray._embed = count
shards = int(sys.argv[3]) if len(sys.argv) > 3 else None
report = on_ray.build_on_ray([sys.argv[1]], sys.argv[2], shards=shards, address="local", progress=False)
print(json.dumps(dict(report.to_dict(), actors_embedded=sum(counted))))
'''


def reap_descendants(seconds: float = 60) -> int:
    """Wait for the processes of a finished run that were handed to this one (a subreaper):
    their CPU time then counts in RUSAGE_CHILDREN. Returns how many were still running at the end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return 0
        if pid == 0:
            time.sleep(0.2)
    return sum(1 for _ in Path("/proc").glob("[0-9]*")
               if _parent(_) == os.getpid())


def _parent(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def sampled_cpu(proc: subprocess.Popen) -> float:
    """CPU seconds of this process's descendants while `proc` runs, sampled from /proc every 50 ms
    (the last reading of each process: a lower bound, a cross-check of RUSAGE_CHILDREN)."""
    tick = os.sysconf("SC_CLK_TCK")
    seen: dict[tuple[int, str], float] = {}
    while proc.poll() is None:
        for path in Path("/proc").glob("[0-9]*"):
            try:
                stat = (path / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if _descends(int(path.name)):
                seen[(int(path.name), fields[19])] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        time.sleep(0.05)
    return sum(seen.values())


def _descends(pid: int) -> bool:
    me = os.getpid()
    for _ in range(20):
        pid = _parent(Path(f"/proc/{pid}"))
        if pid == me:
            return True
        if pid <= 1:
            return False
    return False


def run_ray(root: Path, docs: Path, index: Path, *extra: str) -> tuple[dict, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen([sys.executable, "-c", RAY_DRIVER, str(docs), str(index), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
                            env=dict(os.environ, PYTHONPATH=str(root)))
    sampled = sampled_cpu(proc)
    stdout, stderr = proc.communicate()
    out = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    left = reap_descendants()
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    if left:
        print(f"warning: {left} processes of the Ray run still running: their CPU time is not counted",
              file=sys.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # RUSAGE_CHILDREN misses much of the Ray workers' time (measured: 12 s where /proc showed at least
    # 35 s): the sampled figure is the one reported
    return dict(json.loads(out.stdout.strip().splitlines()[-1]), rusage_cpu_s=round(reaped, 2)), sampled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--ray", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    runs = (("3 shards on Ray", ("3",)),) if args.ray else (("single", ()), ("3 shards", ("--shards", "3")))
    if args.ray:  # PR_SET_CHILD_SUBREAPER: the Ray processes, orphaned when the run ends, are handed to us
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in runs:
            work = Path(tmp) / name.replace(" ", "-")
            docs = work / "docs"
            make_docs(docs)
            first, _ = (run_ray if args.ray else run)(args.checkout, docs, work / "index", *extra)
            (docs / "reports").rename(docs / "reports-2024")
            update, cpu = (run_ray if args.ray else run)(args.checkout, docs, work / "index")
            results[name] = {"passages": first["passages"], "added": update["added"], "removed": update["removed"],
                             "embedded": update["passages_embedded"], "kept": update.get("passages_kept", 0),
                             "words_stored": update.get("words", 0),  # new rows, their vectors embedded or kept
                             "update_cpu_s": round(cpu, 2)}
            if args.ray:
                results[name]["actors_embedded"] = update["actors_embedded"]
                results[name]["update_rusage_cpu_s"] = update["rusage_cpu_s"]
                # the same run with nothing to do: what any Ray run costs (a cluster started, workers, the plan)
                results[name]["unchanged_cpu_s"] = round(run_ray(args.checkout, docs, work / "index")[1], 2)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for name, r in results.items():
            print(f"{name}: {r}")


if __name__ == "__main__":
    main()
