"""Damaged PDFs through the reader: the test fixtures' PDFs with 1-8 random bytes changed. Every
exception other than UnreadableDocument (a file `qa index` would skip with pdfium's or pypdf's own
exception instead of a reason, taking the text of its readable pages with it) is printed once per
kind, and its file kept in benchmarks/out/fuzz_pdf/.

    python benchmarks/fuzz_pdf.py [--trials 1500] [--seed 11]
"""
from __future__ import annotations

import argparse
import logging
import random
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
OUT = ROOT / "benchmarks" / "out" / "fuzz_pdf"


def main() -> None:
    import real_documents as rd
    from qa.readers import UnreadableDocument, read_document

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    OUT.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, make in [("news.pdf", rd.make_newsletter_pdf), ("huts.pdf", rd.make_huts_pdf),
                       ("three.pdf", lambda p: rd.make_three_columns_pdf(p, "rows"))]:
        make(OUT / name)
        sources.append((OUT / name).read_bytes())
    rng = random.Random(args.seed)
    found: dict[str, str] = {}
    outcomes = {"read": 0, "unreadable": 0, "other": 0}
    for _ in range(args.trials):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = OUT / "trial.pdf"
        path.write_bytes(bytes(data))
        try:
            read_document(path, "trial.pdf")
            outcomes["read"] += 1
        except UnreadableDocument:
            outcomes["unreadable"] += 1
        except Exception as exc:
            outcomes["other"] += 1
            kind = f"{type(exc).__name__}: {str(exc)[:80]}"
            if kind not in found:
                found[kind] = traceback.format_exc()[-1500:]
                (OUT / f"other-{len(found)}.pdf").write_bytes(bytes(data))
    print(f"{args.trials} damaged PDFs: {outcomes}; {len(found)} kinds of other exception")
    for kind, trace in found.items():
        print("==", kind)
        print(trace)


if __name__ == "__main__":
    main()
