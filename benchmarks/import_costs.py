"""What each step of a serving process costs: time and RSS (anonymous and file-backed)
after each import, the model, the index, and questions; then the largest mappings.

    python benchmarks/import_costs.py INDEX [--questions 50]

Run it in a new process per checkout (PYTHONPATH) to compare.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def memory() -> str:
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    mb = {k: int(status[k].split()[0]) // 1024 for k in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}
    return f"RSS {mb['VmRSS']:4d} MB (anon {mb['RssAnon']:4d}, file {mb['RssFile']:4d}), peak {mb['VmHWM']:4d}"


def mappings(top: int) -> list[tuple[int, str]]:
    rss: collections.Counter = collections.Counter()
    current = "[anon]"
    for line in open("/proc/self/smaps"):
        parts = line.split()
        if parts and "-" in parts[0] and not parts[0].endswith(":"):
            current = parts[5] if len(parts) > 5 else "[anon]"
        elif parts and parts[0] == "Rss:":
            rss[current] += int(parts[1])
    return [(kb // 1024, name) for name, kb in rss.most_common(top)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--top", type=int, default=15, help="largest mappings to list")
    args = parser.parse_args()
    last = time.perf_counter()

    def step(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        print(f"{name:<32} {now - last:6.2f} s  {memory()}", flush=True)
        last = now

    step("start")
    import numpy  # noqa: F401
    import faiss  # noqa: F401
    step("numpy, faiss")
    from qa.retrieval import Retriever
    step("qa.retrieval")
    import torch  # noqa: F401
    step("torch")
    try:
        from qa.deferred import import_sentence_transformers
    except ImportError:  # a checkout without it
        import sentence_transformers  # noqa: F401
    else:
        import_sentence_transformers()
    step("sentence_transformers")
    from qa.encoder import encoders
    encoders.get("use-m3")
    step("model (use-m3)")
    from qa.language import detect_language
    detect_language("a first question")
    step("language identifier")
    retriever = Retriever.open(args.index)
    step("Retriever.open")
    from common import load_xquad
    questions = [q for d in load_xquad().values() for q, _ in d["questions"][:args.questions // 7 + 1]]
    for i, q in enumerate(questions[:args.questions]):
        retriever.search(q, k=5)
        if i + 1 in (1, 10, args.questions):
            step(f"after {i + 1} questions")
    print("largest mappings (MB):")
    for mb, name in mappings(args.top):
        print(f"  {mb:5d} {name}")


if __name__ == "__main__":
    main()
