"""A cold `qa ask` and what its imports cost, in one or more Python environments, measured
in alternating processes (medians over runs, page cache warm: one unmeasured run first).

    python benchmarks/cold_start.py --index /tmp/seed-index -n 5 \
        --env now=/work/main/.venv/bin/python --env pinned=/tmp/venv-pinned/bin/python

`--env LABEL=PYTHON[:DIR]`: DIR, if given, goes first on PYTHONPATH (packages installed
with `pip install --target DIR` over that environment). This checkout is always on the
path, so every environment runs the same qa.

Per environment it prints
- cold: `python -m qa ask QUESTION --index INDEX --json`, process start to printed answer:
  wall and CPU seconds (user + system) and the process's peak RSS;
- imports: CPU seconds and RSS after each step of a serving process (numpy and FAISS,
  qa.retrieval, torch, sentence-transformers, the default model loaded through
  sentence-transformers, `Retriever.open`, then `--questions` questions), and which heavy
  optional packages ended up imported.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent

# packages a serving process does not use: their presence in sys.modules is reported
HEAVY = ("torch._dynamo", "torch.distributed.tensor", "torch.distributed.fsdp", "sympy", "scipy", "sklearn",
         "pandas", "gradio", "qa.indexer", "transformers.models.auto.modeling_auto", "PIL.Image")

_STEPS_CHILD = r"""
import json, sys, time
sys.path.insert(0, {bench!r})
def rss():
    s = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
    return int(s["VmRSS"].split()[0]) / 1024, int(s["VmHWM"].split()[0]) / 1024
rows = []
def step(name):
    now, peak = rss()
    rows.append({{"step": name, "cpu_s": time.process_time(), "rss_mb": now, "peak_mb": peak}})
step("interpreter")
import numpy, faiss
step("numpy, faiss")
from qa.retrieval import Retriever
step("qa.retrieval")
import torch
step("torch")
from qa.deferred import import_sentence_transformers
st = import_sentence_transformers()
step("sentence_transformers")
from qa.encoder import encoders
encoders.get("use-m3")
step("model use-m3 (ST)")
r = Retriever.open({index!r})
r.search("a first question", k=5)
step("Retriever.open + 1 question")
from common import load_xquad
qs = [q for d in load_xquad().values() for q, _ in d["questions"][:{n} // 7 + 1]][:{n}]
for q in qs:
    r.search(q, k=5)
step(f"after {{len(qs)}} more questions")
import transformers
heavy = [m for m in {heavy!r} if m in sys.modules]
print(json.dumps({{"rows": rows, "heavy": heavy, "versions": {{"torch": torch.__version__,
    "transformers": transformers.__version__, "sentence_transformers": st.__version__}},
    "modules": len(sys.modules)}}))
"""


def run(python: str, extra: str | None, args: list[str]) -> tuple[subprocess.CompletedProcess, float, float, float]:
    """`python args...` from /tmp with this checkout (after `extra`) on the path:
    (result, wall s, CPU s, peak RSS MB) of that one child."""
    path = [p for p in (extra, str(CHECKOUT)) if p]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    t = time.perf_counter()
    with open("/tmp/.cold_start_out", "w+") as out, open("/tmp/.cold_start_err", "w+") as err:
        proc = subprocess.Popen([python, *args], stdout=out, stderr=err, env=env, cwd="/tmp")
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        result = subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err.read())
    return result, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", action="append", required=True, metavar="LABEL=PYTHON[:DIR]")
    parser.add_argument("--index", required=True, help="a small index (e.g. a copy of the seed index)")
    parser.add_argument("-n", type=int, default=5, help="cold runs per environment (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="import-step processes per environment (default 2)")
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--question", default="Qui est le boulanger ?")
    parser.add_argument("--skip", choices=("cold", "imports"), help="leave out one of the two measures")
    args = parser.parse_args()
    envs = {}
    for spec in args.env:
        label, _, rest = spec.partition("=")
        python, _, extra = rest.partition(":")
        envs[label] = (python, extra or None)
    ask = ["-m", "qa", "ask", args.question, "--index", args.index, "--json"]
    cold: dict[str, list[dict]] = {k: [] for k in envs}
    steps: dict[str, list[dict]] = {k: [] for k in envs}
    if args.skip != "cold":
        for label, (python, extra) in envs.items():  # warm the page cache, unmeasured
            res = run(python, extra, ask)[0]
            if res.returncode != 0:
                sys.exit(f"{label}: {res.stderr.strip()[-800:]}")
        for i in range(args.n):
            order = list(envs.items()) if i % 2 == 0 else list(envs.items())[::-1]
            for label, (python, extra) in order:
                res, wall, cpu, peak = run(python, extra, ask)
                if res.returncode != 0:
                    sys.exit(f"{label}: {res.stderr.strip()[-800:]}")
                cold[label].append({"wall_s": wall, "cpu_s": cpu, "peak_mb": peak})
    if args.skip != "imports":
        code = _STEPS_CHILD.format(bench=str(HERE), index=args.index, n=args.questions, heavy=HEAVY)
        for i in range(args.rounds):
            order = list(envs.items()) if i % 2 == 0 else list(envs.items())[::-1]
            for label, (python, extra) in order:
                res = run(python, extra, ["-c", code])[0]
                if res.returncode != 0:
                    sys.exit(f"{label}: {res.stderr.strip()[-800:]}")
                steps[label].append(json.loads(res.stdout.strip().splitlines()[-1]))
    for label in envs:
        print(f"== {label}: {envs[label][0]}" + (f" (+ {envs[label][1]})" if envs[label][1] else ""))
        if cold[label]:
            med = {k: statistics.median(r[k] for r in cold[label]) for k in ("wall_s", "cpu_s", "peak_mb")}
            print(f"cold `qa ask`, median of {len(cold[label])}: wall {med['wall_s']:.2f} s, CPU {med['cpu_s']:.2f} s, "
                  f"peak RSS {med['peak_mb']:.0f} MB  (wall runs: "
                  + ", ".join(f"{r['wall_s']:.2f}" for r in cold[label]) + ")")
        if steps[label]:
            first = steps[label][0]
            print(f"versions {first['versions']}; modules {first['modules']}; heavy imported: {first['heavy'] or 'none'}")
            print(f"  {'step':<30} {'CPU s (step)':>12} {'RSS MB':>7} {'peak MB':>8}   (medians of {len(steps[label])})")
            prev = 0.0
            for j, row in enumerate(first["rows"]):
                cpu = statistics.median(s["rows"][j]["cpu_s"] for s in steps[label])
                rss = statistics.median(s["rows"][j]["rss_mb"] for s in steps[label])
                peak = statistics.median(s["rows"][j]["peak_mb"] for s in steps[label])
                print(f"  {row['step']:<30} {cpu - prev:12.2f} {rss:7.0f} {peak:8.0f}")
                prev = cpu
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "cold_start.json").write_text(json.dumps({"envs": envs, "cold": cold, "steps": steps}, indent=1))


if __name__ == "__main__":
    main()
