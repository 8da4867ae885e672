"""Ask qa/probes.py's probe questions (everyday questions no collection answers, by language) against
quality.py's XQuAD pools and record what `Retriever.search` computes for them, as benchmarks/weak18_dump.py
records any question (issue #15, docs/quality.md "Session 22"): what an off-topic question in a given
language gets from a given collection, a null for the weak rule across languages.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak22_probe_dump.py OUT.pkl

Reads the indexes weak18_dump.py built (benchmarks/out/index-<lang>); run it first.
"""
from __future__ import annotations

import argparse
import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from weak18_dump import K, ask  # noqa: E402  (importing it records make_passages)

from qa import Retriever  # noqa: E402
from qa.probes import PROBES  # noqa: E402
from quality import LANGS  # noqa: E402


def probe_languages() -> list[str]:
    """The language of each probe, from the `# xx` comments of qa/probes.py (in PROBES's order)."""
    out, lang = [], None
    for line in (ROOT / "qa" / "probes.py").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s+# ([a-z]{2})$", line)
        if m:
            lang = m.group(1)
            continue
        out += [lang] * len(re.findall(r'"(?:[^"\\]|\\.)*"', line)) if lang and line.startswith("    \"") else []
    assert len(out) == len(PROBES), (len(out), len(PROBES))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    args = ap.parse_args()
    langs = probe_languages()
    dump: dict = {"probe_langs": langs, "probes": {}}
    for p in LANGS:
        r = Retriever.open(ROOT / "benchmarks" / "out" / f"index-{p}")
        r.search("warm up", k=K)
        dump["probes"][p] = ask(r, list(PROBES), None)
        r.close()
        print(p, flush=True)
    Path(args.out).write_bytes(pickle.dumps(dump))


if __name__ == "__main__":
    main()
