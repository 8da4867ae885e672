"""Peak RSS of a process serving a synthetic index of N passages, when the man-page corpus
of `run_all.py` is not at hand: the XQuAD paragraphs of its 7 languages, replicated to N
passages through `run_all.make_level` (its synth stage: real rows, vectors = real USE-m3
embeddings of those paragraphs plus noise, the automatic FAISS index; plus the sentence
matrix `qa index` writes), then the memory
stage's child (50 XQuAD questions, VmHWM) for each backend in alternating processes.

    python benchmarks/memory_level.py --level 100000 --rounds 2

The level goes to benchmarks/out/level-N (rebuilt only with --rebuild).
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
    args = parser.parse_args()
    folder = OUT / f"level-{args.level}" / "index"
    if args.rebuild or not folder.exists():
        print(json.dumps(build(args.level)), flush=True)
        print(f"sentences.matrix written: {write_matrix(folder)} (none above MAX_SENTENCES)", flush=True)
    qs = [q for _, q, _ in run_all.questions(10)][:50]
    code = run_all._MEMORY_CHILD.format(root=str(ROOT), index=str(folder), qs=json.dumps(qs))
    readings: dict[str, list[dict]] = {"sentence-transformers": [], "numpy": []}
    for i in range(args.rounds):
        order = list(readings) if i % 2 == 0 else list(readings)[::-1]
        for backend in order:
            env = {**os.environ, "QA_USE_BACKEND": backend}
            res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
            if res.returncode != 0:
                sys.exit(f"{backend}: {res.stderr[-2000:]}")
            readings[backend].append(json.loads(res.stdout.strip().splitlines()[-1]))
    for backend, rows in readings.items():
        peaks = [r["peak_rss_mb"] for r in rows]
        print(f"{args.level} passages ({rows[0]['kind']}), QA_USE_BACKEND={backend}: peak RSS median "
              f"{statistics.median(peaks):.0f} MB (runs: {', '.join(f'{p:.0f}' for p in peaks)})")


if __name__ == "__main__":
    main()
