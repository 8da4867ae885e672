"""Kill `qa index` with SIGKILL at random moments; the index must always load, answer
consistently, and the next run must finish the work.

    .venv/bin/python benchmarks/crash.py [--trials 24] [--files 600] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT  # noqa: E402

QUESTIONS = ["les pommes du verger", "Quel document parle de la version 3 ?", "numéro 1234"]


def make_corpus(folder: Path, files: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        (folder / f"doc{i:04d}.txt").write_text(
            "\n\n".join(f"Document {i}, paragraphe {j} : les pommes du verger numéro {i * 10 + j} "
                        f"et la récolte de l'année {1900 + (i * 7 + j) % 120}." for j in range(4)),
            encoding="utf-8")


def rewrite(docs: Path, files: int, rng: random.Random, trial: int) -> None:
    for i in rng.sample(range(files), files // 4):
        path = docs / f"doc{i:04d}.txt"
        if path.exists():
            path.write_text(f"Version {trial} du document {i}, pommes.\n\nSecond paragraphe {trial}.", encoding="utf-8")
    (docs / f"doc{rng.randrange(files):04d}.txt").unlink(missing_ok=True)
    (docs / f"new{trial:03d}.txt").write_text(f"Nouveau document {trial} sur les pommes.", encoding="utf-8")


def files_state(index: Path) -> str:
    """What a killed build left on disk, before any reader repairs it: "empty", "saved" (the
    FAISS file and its stamp reflect the store: same identity, generation and ids) or
    "behind" (the store went on after the last save; the stamp is older, of the same index).
    Anything else is "INCONSISTENT"."""
    from qa.layout import current_data
    from qa.store import DB_NAME, Store
    from qa.vectors import BrokenVectors, VectorIndex

    data = current_data(index)
    if not (data / DB_NAME).exists():
        return "empty"
    store = Store(data / DB_NAME)
    try:
        if "model" not in store.meta() or store.counts()[0] == 0:
            return "empty"
        stored = {int(i) for chunk, _ in store.iter_vectors(512) for i in chunk}
        stamp = VectorIndex.stamp(data)
        if stamp.get("generation") == store.generation():
            try:
                saved = VectorIndex.load(data, 512, store.generation(), store.identity(), mmap=False)
            except BrokenVectors:
                return "INCONSISTENT"
            return "saved" if {int(i) for i in saved.ids()} == stored else "INCONSISTENT"
        if stamp == {} or (stamp.get("identity") == store.identity() and stamp["generation"] < store.generation()):
            return "behind"
        return "INCONSISTENT"
    finally:
        store.close()


def check(index: Path) -> dict:
    """The files as left, then the index opened like a reader would: every vector must
    resolve to a stored passage, searches must cite stored documents, and a reader that
    found the vectors behind must have saved them repaired."""
    from qa import Retriever
    from qa.errors import QAError

    files = files_state(index)
    if files == "empty":
        return {"state": "empty", "files": files}
    try:
        r = Retriever.open(index)
    except QAError as exc:
        return {"state": "INCONSISTENT", "files": files, "detail": str(exc)}
    ids = {int(i) for i in r.vectors.ids()}
    docs, passages = r.store.counts()
    stored = set(r.store.passages(list(ids)).keys()) if ids else set()
    sources = {d["source"] for d in r.store.documents()}
    answers = [[(h.source, h.paragraph) for h in r.search(q, k=5)] for q in QUESTIONS]
    ok = (files != "INCONSISTENT" and ids == stored and len(ids) == passages
          and all(s in sources for a in answers for s, _ in a) and files_state(index) == "saved")
    r.close()
    return {"state": "ok" if ok else "INCONSISTENT", "files": files, "documents": docs, "passages": passages}


def _generation(index: Path) -> int:
    import sqlite3

    from qa.layout import current_data

    with sqlite3.connect(current_data(index) / "passages.sqlite") as conn:
        return int(conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])


def _stored(index: Path) -> bool:
    from qa.layout import current_data

    return (current_data(index) / "passages.sqlite").exists()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=24)
    ap.add_argument("--files", type=int, default=600)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", help="also write the results as JSON to this file")
    args = ap.parse_args()
    rng = random.Random(2026)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = {"trials": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs, index = tmp / "docs", tmp / "index"
        make_corpus(docs, args.files)
        cmd = [sys.executable, "-m", "qa", "index", str(docs), "--index", str(index)]
        t = time.perf_counter()
        subprocess.run([*cmd[:-1], str(tmp / "timing")], env=env, check=True, capture_output=True)
        full = time.perf_counter() - t
        out["full_run_s"] = round(full, 1)
        rewrite(docs, args.files, rng, 0)
        t = time.perf_counter()
        subprocess.run([*cmd[:-1], str(tmp / "timing")], env=env, check=True, capture_output=True)
        incremental = time.perf_counter() - t
        out["incremental_run_s"] = round(incremental, 1)
        for trial in range(args.trials):
            # the first quarter of the trials kill a first build, the rest an incremental one
            # that rewrites a quarter of the files, deletes one and adds one
            if trial < args.trials // 4:
                shutil.rmtree(index, ignore_errors=True)
                span = full
            else:
                if trial == args.trials // 4:
                    subprocess.run(cmd, env=env, check=True, capture_output=True)
                rewrite(docs, args.files, rng, trial + 1)
                span = incremental
            generation = _generation(index) if _stored(index) else None
            delay = rng.uniform(0.3, span)
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            finished = proc.poll() is not None
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            result = check(index) if _stored(index) else {"state": "empty", "files": "empty"}
            wrote = _stored(index) and _generation(index) != generation
            result.update(trial=trial + 1, kind="first build" if trial < args.trials // 4 else "incremental",
                          killed_after_s=round(delay, 1), finished_before_kill=finished,
                          phase="finished" if finished else ("writing" if wrote else "start-up / parsing"))
            out["trials"].append(result)
            if not args.json:
                print(result, flush=True)
        done = subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index), "--json"],
                              env=env, capture_output=True, text=True)
        final = check(index)
        subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(tmp / "clean")],
                       env=env, check=True, capture_output=True)
        clean = check(tmp / "clean")
        expected_sources = {p.name for p in docs.iterdir()}
        from qa import Retriever

        got = {d["source"] for d in Retriever.open(index).store.documents()}
        out["final"] = {"exit": done.returncode, **final, "same_documents_as_clean_build": got == expected_sources,
                        "same_passage_count_as_clean_build": final.get("passages") == clean.get("passages")}
    out["survived"] = sum(t["state"] == "ok" for t in out["trials"])
    out["empty"] = sum(t["state"] == "empty" for t in out["trials"])
    out["files_saved"] = sum(t["files"] == "saved" for t in out["trials"])
    out["files_behind"] = sum(t["files"] == "behind" for t in out["trials"])
    out["killed_mid_run"] = sum(not t["finished_before_kill"] for t in out["trials"])
    print(json.dumps(out, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
