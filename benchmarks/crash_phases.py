"""SIGKILL `qa index` at the phases that benchmarks/crash.py's random delays did not aim at:
while it embeds the words' vocabulary (`add_words`), while it reads every file again for new
sentence boundaries (an index that records `sentences_version` 1), and between the shards of
a sharded build. After each kill, before anything repairs it: every stored passage must equal
its document's text[start:end] and the index must open and answer; then the next `qa index`
must finish the work, embedding no passage that was stored already, and leave what a fresh
build of the same files has (documents, passages, offsets, the words and their counts).

    nice -n 10 .venv/bin/python benchmarks/crash_phases.py [--files 240] [--trials 3] [--json]

XQuAD's paragraphs (en, de, es) as files, from /work/shared/bench/xquad (or --xquad DIR).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, save_json  # noqa: E402

XQUAD = Path("/work/shared/bench/xquad")


def make_corpus(folder: Path, files: int, xquad: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    langs = ["en", "de", "es"]
    per = -(-files // len(langs))
    n = 0
    for lang in langs:
        data = json.loads((xquad / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
        contexts = [p["context"] for article in data for p in article["paragraphs"]][:per]
        for i, text in enumerate(contexts):
            if n == files:
                return
            (folder / f"{lang}{i:03d}.txt").write_text(text, encoding="utf-8")
            n += 1


def qa_index(docs: Path, index: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index), "--json", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def query(db: Path, sql: str) -> list[tuple]:
    """A read of the store from outside, as a reader would (never a write)."""
    if not db.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def kill_when(proc: subprocess.Popen, ready, poll: float = 0.02, limit: float = 600) -> float | None:
    """SIGKILL `proc` as soon as `ready()` holds; the seconds it ran, None if it ended first."""
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < limit:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return time.monotonic() - started
        time.sleep(poll)
    proc.communicate()
    return None


def databases(index: Path) -> list[Path]:
    from qa.errors import QAError
    from qa.shards import databases as shard_dbs

    try:
        return [db for db in shard_dbs(index) if db.exists()]
    except (QAError, OSError):
        return []


def slices_hold(index: Path) -> tuple[int, int]:
    """(passages, passages whose text is not their document's text[start:end])."""
    total = bad = 0
    for db in databases(index):
        for doc_text, start, end, text in query(db, "SELECT d.text, p.start, p.\"end\", p.text FROM passages p "
                                                    "JOIN documents d ON d.id = p.doc_id"):
            total += 1
            bad += doc_text[start:end] != text
    return total, bad


def answers(index: Path) -> str:
    """Open the index as a reader and ask: "ok", or the error."""
    from qa import Retriever
    from qa.errors import QAError

    try:
        retriever = Retriever.open(index)
    except QAError as exc:
        return f"error: {exc}"
    try:
        for question in ("When was the university founded?", "Wer gewann den Super Bowl?"):
            for hit in retriever.search(question, k=5):
                doc = retriever.document(hit.doc_id)
                if doc is None or doc["text"][hit.start:hit.end] != hit.text or doc["source"] != hit.source:
                    return f"WRONG CITATION {hit.source} {hit.start}:{hit.end}"
        return "ok"
    finally:
        retriever.close()


def content(index: Path) -> dict:
    """What must equal a fresh build's: documents, passages with offsets, the words met."""
    docs, passages, words = set(), set(), set()
    for db in databases(index):
        docs |= set(query(db, "SELECT source, hash FROM documents"))
        passages |= set(query(db, "SELECT d.source, p.paragraph, p.start, p.\"end\", p.text FROM passages p "
                                  "JOIN documents d ON d.id = p.doc_id"))
        words |= set(query(db, "SELECT word, lang, uses FROM words WHERE uses > 0"))
    return {"documents": docs, "passages": passages, "words": words}


def cited(index: Path) -> dict[tuple[int, int], tuple[str, str]]:
    """Every passage as a citation names it: (shard, id) -> (source, text)."""
    return {(n, i): (source, text) for n, db in enumerate(databases(index))
            for i, source, text in query(db, "SELECT p.id, d.source, p.text FROM passages p "
                                             "JOIN documents d ON d.id = p.doc_id")}


def repair(docs: Path, index: Path, *extra: str) -> dict:
    proc = qa_index(docs, index, *extra)
    out, err = proc.communicate()
    if proc.returncode != 0:
        return {"exit": proc.returncode, "stderr": err.strip()[-300:]}
    report = json.loads(out)
    return {"exit": 0, "embedded": report["passages_embedded"], "kept": report.get("passages_kept", 0),
            "added": report["added"], "updated": report["updated"], "unchanged": report["unchanged"]}


def trial(phase: str, work: Path, docs: Path, fresh: dict[str, dict], rng: random.Random) -> dict:
    index = work / f"index-{phase}"
    shutil.rmtree(index, ignore_errors=True)
    extra: tuple[str, ...] = ()
    stored_before = 0
    if phase == "words":  # a first build, killed once some words are stored
        proc = qa_index(docs, index)
        ready = lambda: any(query(db, "SELECT count(*) FROM words")[:1] > [(0,)] for db in databases(index))
    elif phase == "sentences":  # an index of sentences version 1: every file read again
        subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index)], check=True,
                       capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        db = databases(index)[0]
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE meta SET value = '1' WHERE key = 'sentences_version'")
        conn.close()
        stored_before = len(content(index)["passages"])
        proc = qa_index(docs, index)
        delay = rng.uniform(0.5, 3.0)
        started = time.monotonic()
        ready = lambda: time.monotonic() - started > delay
    elif phase == "shards-update":  # files renamed and edited, killed once the first shard changed
        docs = work / "docs-update"  # a copy: the other trials' files stay as they are
        shutil.rmtree(docs, ignore_errors=True)
        shutil.copytree(work / "docs", docs)
        subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index), "--shards", "3"],
                       check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        files = sorted(docs.iterdir())
        for path in rng.sample(files, len(files) // 8):
            path.rename(path.with_name("moved-" + path.name))
        for path in rng.sample(sorted(docs.iterdir()), len(files) // 8):
            path.write_text(path.read_text(encoding="utf-8") + "\n\nA paragraph added later.", encoding="utf-8")
        first = databases(index)[0]
        generation = query(first, "SELECT value FROM meta WHERE key = 'generation'")
        proc = qa_index(docs, index)
        ready = lambda: query(first, "SELECT value FROM meta WHERE key = 'generation'") not in ([], generation)
    elif phase == "shards":  # a first sharded build, killed once its second shard has begun
        extra = ("--shards", "3")
        proc = qa_index(docs, index, *extra)
        ready = lambda: len(databases(index)) >= 2 and query(databases(index)[1], "SELECT count(*) FROM documents")[:1] > [(0,)]
    else:
        raise ValueError(phase)
    killed = kill_when(proc, ready)
    given = cited(index)  # what a reader could have cited after the kill
    total, bad = slices_hold(index)
    row = {"phase": phase, "killed_after_s": None if killed is None else round(killed, 1), "passages_left": total,
           "slices_wrong": bad, "reader": answers(index)}
    row["repair"] = repair(docs, index)
    now = cited(index)
    row["citations_now_other_text"] = sum(now[key] != given[key] for key in given.keys() & now.keys())
    after = content(index)
    if phase == "shards-update":  # compared with a sharded index built afresh from the files as they are now
        shutil.rmtree(work / "fresh-update", ignore_errors=True)
        subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(work / "fresh-update"),
                        "--shards", "3"], check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        fresh = {"shards": content(work / "fresh-update")}
    fresh = fresh["shards" if phase.startswith("shards") else "single"]  # a shard counts its own words' uses
    row["same_as_fresh"] = {key: after[key] == fresh[key] for key in fresh}
    if phase == "sentences":
        row["stored_before"] = stored_before
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=240)
    parser.add_argument("--trials", type=int, default=2)
    parser.add_argument("--phases", default="words,sentences,shards,shards-update")
    parser.add_argument("--xquad", type=Path, default=XQUAD)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="qa-crash-phases-"))
    try:
        docs = work / "docs"
        make_corpus(docs, args.files, args.xquad)
        fresh = {}
        for name, extra in (("single", []), ("shards", ["--shards", "3"])):
            subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(work / name), *extra],
                           check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
            fresh[name] = content(work / name)
        rows = []
        for phase in args.phases.split(","):
            for _ in range(args.trials):
                row = trial(phase, work, docs, fresh, rng)
                print(json.dumps(row, ensure_ascii=False), flush=True)
                rows.append(row)
        if args.json:
            save_json(args.json, {"files": args.files, "rows": rows})
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
