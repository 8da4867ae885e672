"""What `qa index` embeds after a folder is renamed: 20 files of XQuAD paragraphs (en, de, es, a few
paragraphs each) in a subfolder beside 20 others, indexed, the subfolder renamed, indexed again.
Runs `qa index` as a process (single index and 3 shards) and reports the update's passages embedded
and kept, and its CPU time (user + system of the process, model load included).

    nice -n 10 .venv/bin/python benchmarks/rename_reuse.py [--checkout DIR] [--json]

`--checkout DIR`: run the `qa` of another checkout (e.g. an export of an older commit).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in (("single", ()), ("3 shards", ("--shards", "3"))):
            work = Path(tmp) / name.replace(" ", "-")
            docs = work / "docs"
            make_docs(docs)
            first, _ = run(args.checkout, docs, work / "index", *extra)
            (docs / "reports").rename(docs / "reports-2024")
            update, cpu = run(args.checkout, docs, work / "index")
            results[name] = {"passages": first["passages"], "added": update["added"], "removed": update["removed"],
                             "embedded": update["passages_embedded"], "kept": update.get("passages_kept", 0),
                             "words_stored": update.get("words", 0),  # new rows, their vectors embedded or kept
                             "update_cpu_s": round(cpu, 2)}
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for name, r in results.items():
            print(f"{name}: {r}")


if __name__ == "__main__":
    main()
