"""A build's CPU by stage, from a py-spy raw profile of it (`py-spy record --threads -f raw`):
each sample's stack goes to the first stage of STAGES all of whose markers (a function name, or
`file:function`) it holds; samples of no stage go to their thread's "other"; py-spy's idle samples
(waits) are left out. Printed: seconds at the sampling rate per stage (wall-like on a loaded
machine) and, with `--cpu` (the JSON line build_threads.py printed for the same build), each
thread's /proc CPU shared among its stages in the proportions of its samples: CPU s per stage
(docs/performance.md, "Session 19: build time").

    python benchmarks/spy_stages.py PROFILE.txt [--cpu BUILD_THREADS_OUTPUT] [--rate 50] [--top 25]
"""
from __future__ import annotations

import argparse
import collections
import re

# stage -> markers, every one of a tuple's markers in the stack; first stage matched wins
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("model load (imports, weights)", ("_LazyEncoder._load",)),
    ("model load (imports, weights)", ("EncoderCache.get",)),
    ("words' IVF (read, train, add, write)", ("word_index.py:update",)),
    ("sentences.matrix", ("sentence_matrix.py:write",)),
    ("FAISS save, manifest", ("vectors.py:save",)),
    ("FAISS save, manifest", ("write_manifest",)),
    ("word model: tokenizer", ("_encode_words", "pure_tokenizer.py:encode")),
    ("word model", ("_encode_words",)),
    ("words: lookups, tokens, inserts (qa-words)", ("indexer.py:flush",)),
    ("words: collecting (content_words)", ("indexer.py:add_words",)),
    ("encoder: tokenizer (normaliser)", ("_encode_pieces", "normalize")),
    ("encoder: tokenizer (Viterbi, pieces)", ("_encode_pieces", "pure_tokenizer.py:encode")),
    ("encoder: forward", ("_encode_pieces",)),
    ("parse: language id", ("_Identifier.__call__",)),
    ("parse: language id", ("passage_languages",)),
    ("parse: tokens", ("tokenize_with_sentences",)),
    ("parse: tokens", ("_fill", "tokenize")),
    ("parse: tokens", ("_fill", "with_title")),
    ("parse: tokens", ("_fill", "title_tokens")),
    ("parse: sentences", ("sentence_spans",)),
    ("parse: reading, chunking", ("_prepare",)),
    ("store: inserts, commit (FTS5), FAISS add", ("_store_batch",)),
    ("store: other transactions, stored vectors", ("_embed_files",)),
]


# which thread of build_threads.py's a stage runs in
THREAD_OF = {
    "model load (imports, weights)": "qa-model", "word model: tokenizer": "qa-encode", "word model": "qa-encode",
    "words: lookups, tokens, inserts (qa-words)": "qa-words", "encoder: tokenizer (normaliser)": "qa-encode",
    "encoder: tokenizer (Viterbi, pieces)": "qa-encode", "encoder: forward": "qa-encode",
    "parse: language id": "qa-parse", "parse: tokens": "qa-parse", "parse: sentences": "qa-parse",
    "parse: reading, chunking": "qa-parse",
}
# a stack of no stage: its thread by these frames
FRAMES_OF = {"qa-encode": ("UseRunner._in_workers", "UseRunner.encode_pieces"), "qa-parse": ("_prepare",),
             "qa-words": ("flush",), "qa-embed": ("_embed_batch",), "qa-model": ("EncoderCache.get",),
             "poll": ("Poller._run",)}


IDLE = {"wait", "_wait_for_tstate_lock", "acquire", "select", "_worker"}  # py-spy's idle samples (waits)


def matches(frame: str, marker: str) -> bool:
    """A frame ("Class.function (path:line)") against a marker ("function" or "file:function")."""
    func, _, where = frame.partition(" (")
    file, _, name = marker.rpartition(":")
    return (func == name or func.endswith("." + name)) and (not file or file in where)


def stage_of(frames: list[str]) -> str | None:
    for name, markers in STAGES:
        if all(any(matches(f, m) for f in frames) for m in markers):
            return name
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("profile")
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--top", type=int, default=0, help="also the N functions of most own samples per stage")
    ap.add_argument("--cpu", help="a build_threads.py JSON line of the same build (its last line)")
    args = ap.parse_args()
    stages: collections.Counter = collections.Counter()
    own: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    total = 0
    threads: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in open(args.profile, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"(.*) (\d+)$", line)
        if not m:
            continue
        stack, n = m.group(1).split(";"), int(m.group(2))
        thread = stack[0]
        frames = stack[1:]
        # idle: waits on locks, queues, futures
        if frames and frames[-1].split(" (")[0].rsplit(".", 1)[-1] in IDLE:
            continue
        total += n
        name = stage_of(frames)
        tname = THREAD_OF.get(name) if name else None
        if tname is None:  # py-spy's thread names can be those of an earlier thread of the same id
            tname = next((t for t, marks in FRAMES_OF.items() if any(matches(f, m) for f in frames for m in marks)),
                         "MainThread")
        name = name or f"other ({tname})"
        threads[tname][name] += n
        stages[name] += n
        if frames:
            own[name][frames[-1]] += n
    if args.cpu:
        import json

        cpu = thread_cpu(json.loads(next(l for l in reversed(open(args.cpu).read().splitlines()) if l.startswith("{"))))
        # py-spy's names for the encoder's workers are those of the pool that made them first
        print("CPU s by stage (each thread's /proc CPU shared by its samples):")
        for stage, sec in sorted(by_thread(threads, cpu).items(), key=lambda kv: -kv[1]):
            print(f"{sec:8.2f}  {stage}")
        for tname, counts in threads.items():
            print(f"  thread {tname}: {sum(counts.values())} samples, CPU {cpu.get(tname, 0.0):.2f}")
    print(f"{total} samples ({total / args.rate:.1f} s at {args.rate:g} Hz)")
    for name, n in stages.most_common():
        print(f"{n / args.rate:8.2f} s {100 * n / total:5.1f}%  {name}")
        for f, k in own[name].most_common(args.top):
            print(f"            {k / args.rate:7.2f} s  {f[:150]}")


def by_thread(threads: dict[str, collections.Counter], cpu: dict[str, float]) -> dict[str, float]:
    """Each thread's CPU (`cpu`, by thread name: build_threads.py's) shared among the stages
    in the proportions of its samples: CPU seconds per stage."""
    out: collections.Counter = collections.Counter()
    for tname, counts in threads.items():
        n = sum(counts.values())
        for stage, k in counts.items():
            out[stage] += cpu.get(tname, 0.0) * k / n
    return dict(out)


def thread_cpu(row: dict) -> dict[str, float]:
    """build_threads.py's CPU by thread, pools' numbered names (`qa-model_0`) summed by prefix."""
    out: collections.Counter = collections.Counter()
    for name, sec in row["threads"].items():
        out[re.sub(r"_\d+$", "", name)] += sec
    return dict(out)


if __name__ == "__main__":
    main()
