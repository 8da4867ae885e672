"""Guards for Session 22's rule (docs/quality.md "Session 22: weak matches across languages"): every
question asked twice through `Retriever.search` on one index, with the model's calibration as shipped
and with `weak_far` off (the code before), and the flags that differ counted. Collections: Session 17's
probe (benchmarks/probe17/, 57 passages of languages in and outside the model), weak18_mixed.py's A
(es/en) and B (de/zh) (240 XQuAD paragraphs, two languages, every 4th question and the off-topic lists).
The small folders (benchmarks/small_folders.py, 3-37 passages) give fewer than WEAK_POOL_MIN candidates:
unchanged by construction. `--session 23`: Session 23's rule instead (docs/quality.md "Session 23: weak
matches across languages, again"; `weak_shared` and `weak_across` off for the code before; that rule did
not ship, so its code must be put back in qa/ first).

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak22_guard.py [--session 23] [probe17 A B]
"""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import weak17  # noqa: E402
from mixed_offset import collection, xquad  # noqa: E402
from off_topic import OFF_TOPIC_DEV, OFF_TOPIC_DEV2, OFF_TOPIC_HELD_OUT  # noqa: E402
from qa import Retriever, build_index  # noqa: E402
from qa.encoder import Calibration  # noqa: E402
from qa.evaluate import write_corpus  # noqa: E402

# the calibration's fields that the code before each session's rule did not have
BEFORE = {"22": {"weak_far": None}, "23": {"weak_shared": None, "weak_across": ()}}
OFF = dict(BEFORE["22"])


def both(r: Retriever, question: str) -> tuple[list, list]:
    encoder = r._view.encoder
    shipped = encoder.calibration
    after = r.search(question, k=10)
    encoder.calibration = replace(shipped, **OFF)
    try:
        before = r.search(question, k=10)
    finally:
        encoder.calibration = shipped
    assert [h.id for h in before] == [h.id for h in after]
    return before, after


def compare(r: Retriever, label: str, asked: list[tuple[str, object]], is_gold) -> None:
    """asked: (question, gold or None); prints gold shown weak and off-topic passing, before -> after."""
    g = {"before": 0, "after": 0}
    o = {"before": 0, "after": 0}
    shown = off = changed = 0
    for question, gold in asked:
        before, after = both(r, question)
        changed += sum(b.weak != a.weak for b, a in zip(before, after))
        if gold is None:
            off += 1
            o["before"] += not before[0].weak
            o["after"] += not after[0].weak
            continue
        idx = [n for n, h in enumerate(after) if is_gold(h, gold)]
        if idx:
            shown += 1
            g["before"] += before[idx[0]].weak
            g["after"] += after[idx[0]].weak
    print(f"{label}: gold shown weak {g['before']} -> {g['after']} of {shown}; off-topic passing top 1 "
          f"{o['before']} -> {o['after']} of {off}; hits whose flag changed {changed}", flush=True)


def main() -> None:
    names = sys.argv[1:]
    if names[:1] == ["--session"]:
        OFF.clear()
        OFF.update(BEFORE[names[1]])
        names = names[2:]
        missing = [f for f in OFF if not hasattr(Calibration(), f)]
        if missing:  # Session 23's rule did not ship: its code must be put back to guard it
            sys.exit(f"qa.encoder.Calibration has no {', '.join(missing)}: put the session's rule in qa/ first")
    for name in names or ["probe17", "A", "B"]:
        if name == "probe17":
            cols = weak17.collections()
            r = Retriever.open(weak17.index_of("probe17-dev", cols["probe17-dev"]))
            for split in ("probe17-dev", "probe17-heldout"):
                compare(r, split, [(q, g) for q, g, _ in cols[split]["asked"]], weak17.is_gold)
            r.close()
            continue
        parity = {"A": ("es", "en"), "B": ("de", "zh")}[name]
        texts, _, gold = collection(parity)
        folder = ROOT / "benchmarks" / "out" / f"weak18-mixed-{''.join(parity)}"
        write_corpus(texts, folder / "corpus")
        build_index([folder / "corpus"], index=folder, progress=False)
        r = Retriever.open(folder)
        for qlang in ("en", "es", "de", "zh"):
            asked = [(q["question"], gold[q["id"]]) for a in xquad(qlang) for p in a["paragraphs"] for q in p["qas"]
                     if q["id"] in gold][::4]
            compare(r, f"{name} {qlang}", asked, lambda h, g: int(Path(h.source).stem[1:]) in g)
        for label, qs in (("dev", OFF_TOPIC_DEV + OFF_TOPIC_DEV2), ("held-out", OFF_TOPIC_HELD_OUT)):
            compare(r, f"{name} off-topic {label}", [(q, None) for q in qs], None)
        r.close()


if __name__ == "__main__":
    main()
