"""The hostile corpus (tests/hostile.py, with its 10,000-message mailbox) through `qa index`:
each file's outcome, the time, and the peak memory (RSS) of the indexing process.

    python benchmarks/hostile_formats.py [--json]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

NEW = ("bomb.docx", "bomb.xlsx", "bomb.epub", "password.docx", "million-empty-rows.xlsx", "huge-image.png",
       "corrupt.png", "not-an-image.jpg", "bad-headers.eml", "big.mbox")


def main() -> None:
    from hostile import make_hostile_corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mbox", type=int, default=10_000, help="messages in the mailbox (0: none)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        expect = make_hostile_corpus(corpus, mbox_messages=args.mbox)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "qa", "index", str(corpus), "--index", str(Path(tmp) / "index"),
                              "--json"], capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        report = json.loads(run.stdout)
    skipped = dict(report["skipped"])
    rows = []
    for source, expectation in expect.items():
        if source.rsplit("/", 1)[-1] in NEW:
            outcome = f"skipped: {skipped[source]}" if source in skipped else "indexed"
            ok = outcome == "indexed" if expectation == "indexed" else skipped.get(source, "").startswith(expectation)
            rows.append({"file": source, "outcome": outcome, "as_expected": ok})
    result = {"exit_code": run.returncode, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb),
              "documents": report["documents"], "passages": report["passages"], "files": rows}
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return
    for row in rows:
        print(f"| `{row['file']}` | {row['outcome']} | {'yes' if row['as_expected'] else 'NO'} |")
    print({k: v for k, v in result.items() if k != "files"})


if __name__ == "__main__":
    main()
