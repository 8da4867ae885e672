"""XQuAD's articles as documents of several passages (issue #15, docs/quality.md "Session 8").

XQuAD's 240 paragraphs come from 48 Wikipedia articles of 5 paragraphs each. Here each
article (in one language) is ONE text file, its paragraphs separated by blank lines as `qa`
cuts paragraphs, so every gold paragraph is a passage of a multi-passage document with a real
head (its article's lead) and its dense score mixes in that head (qa/context.py), as on the
seed and the man pages; calibrate_dump.py's pools hold one paragraph per file (no head).

Split by article: even articles (0, 2, ..., 46) are development, odd articles held-out.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/xquad_articles.py [--langs en,es]   # builds the indexes
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAGRAPHS = 5  # every XQuAD article has five


def article_texts(path: Path) -> list[list[str]]:
    """Each article's paragraphs (in file order, so paragraph i of load_squad is article i // 5)."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    out = [[" ".join(p["context"].split()) for p in a["paragraphs"]] for a in data]
    assert all(len(a) == PARAGRAPHS for a in out)
    return out


def source_stem(article: int) -> str:
    return f"a{article:02d}"


def gold_of(paragraph: int) -> tuple[str, int]:
    """(file stem, 1-based paragraph number in it) of XQuAD paragraph `paragraph` (load_squad's index)."""
    return source_stem(paragraph // PARAGRAPHS), paragraph % PARAGRAPHS + 1


def is_dev(paragraph: int) -> bool:
    return (paragraph // PARAGRAPHS) % 2 == 0


def index_for(data: Path, out: Path, lang: str, model: str | None) -> Path:
    """The articles of xquad.<lang>.json as documents, indexed under out/xart-<model>-<lang>."""
    from qa import build_index

    folder = out / f"xart-{model or 'use-m3'}-{lang}"
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for n, paragraphs in enumerate(article_texts(data / f"xquad.{lang}.json")):
        (corpus / f"{source_stem(n)}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    build_index([corpus], index=folder / "index", model=model, progress=False)
    return folder / "index"


def check(index: Path, data: Path, lang: str) -> None:
    """Every passage is inside the paragraph its number names (the gold mapping holds)."""
    from qa import Retriever

    texts = article_texts(data / f"xquad.{lang}.json")
    r = Retriever.open(index)
    store = r._view.store
    ids, _ = store.all_vectors(r._view.encoder.dimension)
    rows = store.passages(ids.tolist())
    bad = [i for i, row in rows.items()
           if " ".join(row["text"].split()) not in texts[int(Path(row["source"]).stem[1:])][row["paragraph"] - 1]]
    r.close()
    assert not bad, (lang, len(bad))
    print(lang, len(rows), "passages, gold mapping checked", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", default="en,es,de,zh,ar,ru,vi")
    ap.add_argument("--model")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    args = ap.parse_args()
    from common import OUT

    for lang in args.langs.split(","):
        check(index_for(Path(args.data), OUT, lang, args.model), Path(args.data), lang)


if __name__ == "__main__":
    main()
