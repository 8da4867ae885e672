"""What a plain `qa index` costs to repair an index labelled by the identifier before session 19
(without Swahili and Tagalog), against `qa index --rebuild` (docs/reliability.md, Session 19).

The corpus: XQuAD's paragraphs in en, es, vi (one file per article) and session 19's hand-written
Swahili and Tagalog paragraphs (benchmarks/langid19/sentences.json, one file each). Built with the
older language list patched into this process, then: a plain `build_index` (the repair), the same
again (nothing left to do), and `--rebuild` (every passage embedded again). CPU seconds of this
process (its threads included).

    PYTHONPATH=.:benchmarks nice -n 10 .venv/bin/python benchmarks/relabel19.py [--out benchmarks/out/relabel19]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
from collections import Counter
from pathlib import Path

import qa.language
from common import load_xquad
from qa import build_index
from qa.layout import current_data
from qa.store import DB_NAME

HERE = Path(__file__).resolve().parent
BEFORE = [lang for lang in qa.language.LANGUAGES if lang not in ("sw", "tl")]


def write_corpus(folder: Path) -> int:
    folder.mkdir(parents=True)
    files = 0
    for lang, data in load_xquad(("en", "es", "vi")).items():
        contexts = data["contexts"]
        for first in range(0, len(contexts), 25):  # ~ an article's paragraphs per file
            (folder / f"xquad-{lang}-{first:04d}.txt").write_text("\n\n".join(contexts[first:first + 25]) + "\n",
                                                                  encoding="utf-8")
            files += 1
    sentences = json.loads((HERE / "langid19" / "sentences.json").read_text(encoding="utf-8"))
    for lang in ("sw", "tl"):
        for i, paragraph in enumerate(sentences[lang]["paragraphs"]):
            (folder / f"{lang}-{i}.txt").write_text(paragraph + "\n", encoding="utf-8")
            files += 1
    return files


def languages(index: Path) -> Counter:
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        return Counter(r[0] for r in conn.execute("SELECT lang FROM passages"))


def timed(label: str, out: dict, **kwargs) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    report = build_index(progress=False, **kwargs)
    out[label] = {"cpu_s": round(time.process_time() - cpu, 2), "wall_s": round(time.perf_counter() - wall, 2),
                  "identified": report.identified, "relabelled": report.relabelled,
                  "passages_embedded": report.passages_embedded, "words_embedded": report.words,
                  "summary": report.summary()}
    print(label, json.dumps(out[label], ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "out" / "relabel19")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    docs, index = args.out / "docs", args.out / "index"
    out: dict = {"files": write_corpus(docs)}
    kept = qa.language.LANGUAGES
    qa.language.LANGUAGES, qa.language.detect_language._model = BEFORE, None
    try:
        timed("build, older identifier", out, paths=[docs], index=index)
        out["languages before"] = dict(languages(index))
    finally:
        qa.language.LANGUAGES, qa.language.detect_language._model = kept, None
    timed("plain qa index (repair)", out, paths=[docs], index=index)
    out["languages after"] = dict(languages(index))
    timed("plain qa index again", out, paths=[docs], index=index)
    timed("qa index --rebuild", out, paths=[docs], index=index, rebuild=True)
    out["languages rebuilt"] = dict(languages(index))
    (args.out / "results.json").write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k.startswith("languages")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
