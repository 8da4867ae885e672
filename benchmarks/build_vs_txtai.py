"""Cold builds of one folder by two `qa` checkouts and by txtai, in fresh processes with peer.py's
own build scripts (imports and model load counted), their order rotating each round; wall and
process CPU of each (docs/performance.md, "Session 17: build time").

    PYTHONPATH=$PWD/benchmarks python benchmarks/build_vs_txtai.py FOLDER --before QA_DIR --after QA_DIR \
        --txtai TXTAI_SITE [--rounds 3] [--json FILE]

`--before` and `--after` are folders holding a `qa` package; txtai builds with `--after`'s encoder
(peer.py's script embeds through `qa.encoder`), on `--txtai`'s packages.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from peer import _BUILD_QA, _BUILD_TXTAI

HERE = Path(__file__).resolve().parent


def cold(script: str, path: str, *argv: str) -> dict:
    env = dict(os.environ, PYTHONPATH=path)
    result = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, env=env)
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    out = json.loads(result.stdout.strip().splitlines()[-1])
    return {"wall": round(out["seconds"], 2), "cpu": round(out["cpu"], 2), "rows": out["rows"],
            "load": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", required=True)
    parser.add_argument("--txtai", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", default=str(HERE / "out" / "build_vs_txtai"))
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    work = Path(args.work)
    sides = {"before": (_BUILD_QA, os.path.abspath(args.before)),
             "after": (_BUILD_QA, os.path.abspath(args.after)),
             "txtai": (_BUILD_TXTAI, f"{os.path.abspath(args.after)}{os.pathsep}{args.txtai}")}
    names = list(sides)
    for round_ in range(args.rounds):
        order = names[round_ % 3:] + names[:round_ % 3]
        for name in order:
            script, path = sides[name]
            target = work / name
            shutil.rmtree(target, ignore_errors=True)
            extra = ("IDMap,Flat",) if name == "txtai" else ()
            row = {"round": round_, "side": name, **cold(script, path, args.folder, str(target), *extra)}
            print(json.dumps(row), flush=True)
            if args.json:
                with open(args.json, "a") as f:
                    f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
