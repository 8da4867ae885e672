"""Peak RSS of a process serving a synthetic index of N passages, when the man-page corpus
of `run_all.py` is not at hand: the XQuAD paragraphs of its 7 languages, replicated to N
passages through `run_all.make_level` (its synth stage: real rows, vectors = real USE-m3
embeddings of those paragraphs plus noise, the automatic FAISS index; plus the sentence
matrix `qa index` writes), then the memory
stage's child (50 XQuAD questions, VmHWM) for each backend in alternating processes.

    python benchmarks/memory_level.py --level 100000 --rounds 2

The level goes to benchmarks/out/level-N (rebuilt only with --rebuild). With `--checkout LABEL=DIR`
(repeated), the child imports the `qa` of each DIR (e.g. a `git archive` of another commit) instead of
this checkout's, the checkouts alternating in each round; `--backend` picks the backends measured.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import DATA, OUT, ROOT, load_xquad  # noqa: E402
import run_all  # noqa: E402


def xquad_files() -> list[tuple[Path, str]]:
    """One text file per XQuAD paragraph under benchmarks/data/corpus/xquad-LANG/."""
    out = []
    for lang, d in load_xquad().items():
        folder = DATA / "corpus" / f"xquad-{lang}"
        folder.mkdir(parents=True, exist_ok=True)
        for i, text in enumerate(d["contexts"]):
            path = folder / f"{i:04d}.txt"
            if not path.exists():
                path.write_text(text + "\n", encoding="utf-8")
            out.append((path, lang))
    return out


def build(level: int) -> dict:
    from qa.encoder import encoders

    files = xquad_files()
    parsed = []
    for path, lang in files:
        item = run_all._light_prepare((str(path), lang))
        if item and item["passages"]:
            parsed.append((path, lang, item))
    texts = [p[4] for _, _, item in parsed for p in item["passages"]]
    pool = encoders.get("use-m3").encode_documents(texts)
    return run_all.make_level(level, parsed, pool, replicate=level > len(texts))


def write_matrix(folder: Path) -> bool:
    """The mapped sentence vectors `qa index` writes beside the FAISS file (make_level does not)."""
    from qa import sentence_matrix
    from qa.store import DB_NAME, Store

    store = Store(folder / DB_NAME)
    try:
        return sentence_matrix.write(store, folder, 512, store.identity())
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--checkout", action="append", metavar="LABEL=DIR",
                        help="a folder holding the qa package to measure (default: this checkout)")
    parser.add_argument("--backend", action="append", choices=("sentence-transformers", "numpy"))
    args = parser.parse_args()
    folder = OUT / f"level-{args.level}" / "index"
    if args.rebuild or not folder.exists():
        print(json.dumps(build(args.level)), flush=True)
        print(f"sentences.matrix written: {write_matrix(folder)} (none above MAX_SENTENCES)", flush=True)
    qs = [q for _, q, _ in run_all.questions(10)][:50]
    checkouts = dict(c.split("=", 1) for c in args.checkout) if args.checkout else {"": str(ROOT)}
    runs = [(label, root, backend) for label, root in checkouts.items()
            for backend in args.backend or ("sentence-transformers", "numpy")]
    readings: dict[tuple[str, str], list[dict]] = {(label, backend): [] for label, _, backend in runs}
    for i in range(args.rounds):
        for label, root, backend in runs if i % 2 == 0 else runs[::-1]:
            code = run_all._MEMORY_CHILD.format(root=root, index=str(folder), qs=json.dumps(qs))
            env = {**os.environ, "QA_USE_BACKEND": backend}
            res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
            if res.returncode != 0:
                sys.exit(f"{label} {backend}: {res.stderr[-2000:]}")
            reading = json.loads(res.stdout.strip().splitlines()[-1])
            readings[(label, backend)].append(reading)
            print(f"round {i + 1} {label} {backend}: {json.dumps(reading)}", flush=True)
    for (label, backend), rows in readings.items():
        peaks = [r["peak_rss_mb"] for r in rows]
        print(f"{label + ': ' if label else ''}{args.level} passages ({rows[0]['kind']}), QA_USE_BACKEND={backend}: "
              f"peak RSS median {statistics.median(peaks):.0f} MB (runs: {', '.join(f'{p:.0f}' for p in peaks)}); "
              f"RSS at the end {statistics.median(r['rss_mb'] for r in rows):.0f} MB; "
              f"CPU {statistics.median(r['cpu_s'] for r in rows):.2f} s")

if __name__ == "__main__":
    main()
