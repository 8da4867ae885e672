"""Where the memory of a process serving a large index goes, and what the store's reading
settings cost: per option, peak RSS (VmHWM), RSS by kind and by mapping after opening, after
the memory stage's 50 questions and after 280 more, CPU per question (process_time, every
thread), and the passages returned (identical across options or it says so). Options run in
alternating child processes, the same questions in the same order.

    python benchmarks/rss_level.py --index benchmarks/out/level-100000/index \
        --options current no-map --rounds 3

The level: `python benchmarks/memory_level.py --level 100000` (benchmarks/out/level-100000).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

RELEASE = """
import qa.retrieval as _R
_search_many = _R.Retriever.search_many
_count = [0]
def search_many(self, *a, **kw):
    out = _search_many(self, *a, **kw)
    _count[0] += 1
    if _count[0] % {every} == 0:
        with self.store._open_lock:
            for _, conn in self.store._open.values():
                conn.execute("PRAGMA mmap_size=0")
                conn.execute(f"PRAGMA mmap_size={{S.MMAP_BYTES}}")
    return out
_R.Retriever.search_many = search_many
"""
CACHE = """
_orig = S.Store.connection
def connection(self):
    fresh = getattr(self._local, "conn", None) is None
    conn = _orig(self)
    if fresh:
        conn.execute("PRAGMA cache_size=-{kib}")
    return conn
S.Store.connection = connection
"""

# Each option: code run in the child before the index is opened (qa.store imported as `S`,
# qa.mapped as `M`). A thread's connection is made on its first use, with `S.MMAP_BYTES`;
# `M.RELEASE_EVERY` questions release the mapped tables' pages.
OPTIONS = {
    "current": "",
    # session 9's settings: a 1 GiB map of the store, mapped tables never released
    "before": "S.MMAP_BYTES = 1 << 30\nM.RELEASE_EVERY = 0",
    "no-map": "S.MMAP_BYTES = 0\nM.RELEASE_EVERY = 0",
    # the map only for the connections of the lexical threads (FTS5 postings and sizes), none for
    # the searching thread's (passage and sentence rows, vectors)
    "map-lexical": """
S.MMAP_BYTES = 1 << 30
M.RELEASE_EVERY = 0
import threading
_orig = S.Store.connection
def connection(self):
    fresh = getattr(self._local, "conn", None) is None
    conn = _orig(self)
    if fresh and not threading.current_thread().name.startswith("qa-lexical"):
        conn.execute("PRAGMA mmap_size=0")
    return conn
S.Store.connection = connection
""",
    "map-rows": """
S.MMAP_BYTES = 1 << 30
M.RELEASE_EVERY = 0
import threading
_orig = S.Store.connection
def connection(self):
    fresh = getattr(self._local, "conn", None) is None
    conn = _orig(self)
    if fresh and threading.current_thread().name.startswith("qa-lexical"):
        conn.execute("PRAGMA mmap_size=0")
    return conn
S.Store.connection = connection
""",
    # the map kept, and every connection's map dropped and made again after each search (after
    # every 10th with release-10): a change of `PRAGMA mmap_size` unmaps the file (SQLite's
    # unixFileControl), which takes the pages the search touched out of the process
    "release-each": "S.MMAP_BYTES = 1 << 30\nM.RELEASE_EVERY = 0\n" + RELEASE.format(every=1),
    "release-10": "S.MMAP_BYTES = 1 << 30\nM.RELEASE_EVERY = 0\n" + RELEASE.format(every=10),
    # the model tables' maps (qa.mapped: language identifier, compound splitter, USE-m3 tables)
    # advised MADV_DONTNEED after each search
    "tables-each": "S.MMAP_BYTES = 1 << 30\nM.RELEASE_EVERY = 1",
    "release+tables-each": "S.MMAP_BYTES = 1 << 30\nM.RELEASE_EVERY = 1\n" + RELEASE.format(every=1),
    # no map of the store, and the model tables' (and sentence matrix's) pages released after
    # every Nth search
    **{f"no-map+tables-{n}": f"S.MMAP_BYTES = 0\nM.RELEASE_EVERY = {n}" for n in (1, 8, 32)},
    # no map, every connection's page cache 8 / 32 MB instead of SQLite's 2 (hot FTS5 and b-tree
    # pages kept in the process instead of read again), tables released every 8 questions
    **{f"cache-{mb}M": CACHE.format(kib=mb * 1024) for mb in (8, 32)},
    # the map kept, the tables released every 8 questions
    "map+tables-8": "S.MMAP_BYTES = 1 << 30\nM.RELEASE_EVERY = 8",
}


def _rss_kinds() -> dict[str, float]:
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    return {k: int(status[k].split()[0]) / 1024 for k in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}


def _mappings() -> dict[str, dict]:
    """RSS (MB) and count of mappings by group: the store file, the FAISS file, model tables,
    shared libraries, heap, other anonymous memory."""
    groups: dict[str, dict] = {}
    files: dict[str, float] = {}
    name, path = "[anon]", ""
    for line in open("/proc/self/smaps"):
        parts = line.split()
        if parts and "-" in parts[0] and not parts[0].endswith(":"):
            path = parts[5] if len(parts) > 5 else "[anon]"
            if path.endswith("passages.sqlite"):
                name = "store map (passages.sqlite)"
            elif path.endswith(".faiss"):
                name = "FAISS file"
            elif path.endswith(".npy") or path.endswith(".safetensors"):
                name = "model / table files"
            elif ".so" in path:
                name = "shared libraries"
            elif path.startswith("["):
                name = path if path == "[heap]" else "[anon]"
            else:
                name = "other files"
            g = groups.setdefault(name, {"mb": 0.0, "maps": 0})
            g["maps"] += 1
        elif parts and parts[0] == "Rss:":
            groups[name]["mb"] += int(parts[1]) / 1024
            if name == "model / table files":
                key = "/".join(Path(path).parts[-2:])
                files[key] = files.get(key, 0.0) + int(parts[1]) / 1024
    out = {k: {"mb": round(v["mb"], 1), "maps": v["maps"]} for k, v in sorted(groups.items(), key=lambda x: -x[1]["mb"])}
    if "model / table files" in out:
        out["model / table files"]["largest"] = {k: round(v, 1) for k, v in sorted(files.items(), key=lambda x: -x[1])[:8]}
    return out


STORE_READS = ("bm25", "vectors_for", "sentence_vectors", "candidate_data", "context_vectors", "passages",
               "term_stats", "names", "word_vocabulary", "known_words")


def _timed_cpu(S, R) -> dict[str, float]:
    """CPU seconds (time.thread_time, in the thread that runs them) of the store's reads and of
    the tasks of the lexical threads: a search's own work, without the time that idle FAISS
    and PyTorch worker threads spin (process_time counts it, and it varies with the load)."""
    spent = {"store": 0.0, "lexical tasks": 0.0, **{n: 0.0 for n in STORE_READS}}

    def wrap(owner, name: str, key: str) -> None:
        inner = getattr(owner, name)

        def timed(*a, **kw):
            t = time.thread_time()
            try:
                return inner(*a, **kw)
            finally:
                took = time.thread_time() - t
                spent[key] += took  # float adds under the GIL: no lost update here
                if key == "store":
                    spent[name] += took
        setattr(owner, name, timed)

    for name in STORE_READS:
        wrap(S.Store, name, "store")
    for name in ("lexical_top", "names_search"):
        wrap(R, name, "lexical tasks")
    return spent


def child(index: str, option: str, extra: int) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    import qa.mapped as M
    import qa.store as S
    exec(OPTIONS[option], {"S": S, "M": M})
    import run_all
    from qa.retrieval import Retriever

    import qa.retrieval as R
    spent = _timed_cpu(S, R)
    memory_qs = [q for _, q, _ in run_all.questions(10)][:50]
    cpu_qs = [q for _, q, _ in run_all.questions(40)][:extra]
    out: dict = {"option": option}
    r = Retriever.open(index)
    r.encoder.encode_query("warm up")  # the model's lazy parts, before the questions
    out["open"] = {**_rss_kinds(), "maps": _mappings()}
    digest = hashlib.sha256()

    trace: list[tuple[float, float]] = []  # (RSS, peak) MB after each question

    def ask(q: str) -> tuple[float, float, float]:
        """(process, search thread + lexical tasks, store reads) CPU seconds of one question."""
        t, tt, before = time.process_time(), time.thread_time(), dict(spent)
        hits = r.search(q, k=5)
        kinds = _rss_kinds()
        trace.append((kinds["VmRSS"], kinds["VmHWM"]))
        digest.update(json.dumps([h.id for h in hits]).encode())
        return (time.process_time() - t, time.thread_time() - tt + spent["lexical tasks"] - before["lexical tasks"],
                spent["store"] - before["store"])

    cpu = [ask(q) for q in memory_qs]
    out["after_50"] = {**_rss_kinds(), "maps": _mappings()}
    out["cpu_first_ms"] = [x * 1000 for x in cpu[0]]
    out["cpu_50_ms"] = [statistics.mean(c[j] for c in cpu[1:]) * 1000 for j in range(3)]
    more = [ask(q) for q in cpu_qs]
    out["after_more"] = {**_rss_kinds(), "maps": _mappings()}
    out["cpu_more_ms"] = [statistics.mean(c[j] for c in more) * 1000 for j in range(3)] if more else [0, 0, 0]
    out["questions"] = len(memory_qs) + len(cpu_qs)
    out["trace"] = {n: trace[n - 1] for n in (1, 2, 5, 10, 20, 50, 100, 200, 330) if n <= len(trace)}
    out["store_ms"] = {n: spent[n] * 1000 / len(memory_qs + cpu_qs) for n in STORE_READS if spent[n]}
    out["results"] = digest.hexdigest()[:16]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(HERE / "out" / "level-100000" / "index"))
    parser.add_argument("--options", nargs="+", default=["before", "current"], choices=list(OPTIONS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--more", type=int, default=280, help="questions after the first 50, for CPU")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="write every reading here")
    parser.add_argument("--interleave", nargs="+", metavar="MAP_BYTES[:CACHE_KIB]",
                        help="instead: CPU per question in one process, stores of these map sizes (and page "
                             "cache sizes) alternating")
    parser.add_argument("--questions", type=int, default=280, help="with --interleave")
    parser.add_argument("--passes", type=int, default=1, help="with --interleave: times through the questions")
    parser.add_argument("--release-cost", type=int, metavar="MAP_BYTES",
                        help="instead: CPU per question after qa.mapped.release against without it")
    parser.add_argument("--fresh", action="store_true",
                        help="with --release-cost: no cached query or sentence vectors for any question")
    args = parser.parse_args()
    if args.release_cost is not None:
        print(json.dumps(release_cost(args.index, args.release_cost, args.questions, args.fresh)))
        return
    if args.interleave:
        print(json.dumps(interleaved(args.index, args.interleave, args.questions, args.passes)))
        return
    if args.child:
        print(json.dumps(child(args.index, args.child, args.more)))
        return
    readings: dict[str, list[dict]] = {o: [] for o in args.options}
    for i in range(args.rounds):
        order = args.options if i % 2 == 0 else args.options[::-1]
        for option in order:
            res = subprocess.run([sys.executable, __file__, "--index", args.index, "--more", str(args.more),
                                  "--child", option], capture_output=True, text=True, env={**os.environ})
            if res.returncode != 0:
                sys.exit(f"{option}: {res.stderr[-3000:]}")
            reading = json.loads(res.stdout.strip().splitlines()[-1])
            readings[option].append(reading)
            c50, cm = reading["cpu_50_ms"], reading["cpu_more_ms"]
            print(f"round {i} {option}: peak after 50 {reading['after_50']['VmHWM']:.0f} MB, after "
                  f"{reading['questions']} {reading['after_more']['VmHWM']:.0f} MB; CPU ms/question "
                  f"process/search/store {c50[0]:.1f}/{c50[1]:.1f}/{c50[2]:.2f} (50), "
                  f"{cm[0]:.1f}/{cm[1]:.1f}/{cm[2]:.2f} ({args.more}); results {reading['results']}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(readings, indent=1))
    print("\nmedians over rounds; CPU ms per question: process / search thread + lexical tasks / store reads")
    print("option | peak@50 MB | peak@end MB | CPU (50) | CPU (more) | results")
    for option, rows in readings.items():
        def med(key: str) -> str:
            return " / ".join(f"{statistics.median(r[key][j] for r in rows):.2f}" for j in range(3))
        print(f"{option} | {statistics.median(r['after_50']['VmHWM'] for r in rows):.0f} | "
              f"{statistics.median(r['after_more']['VmHWM'] for r in rows):.0f} | {med('cpu_50_ms')} | "
              f"{med('cpu_more_ms')} | {', '.join(sorted({r['results'] for r in rows}))}")
    print("\nstore reads, CPU ms per question over all questions (median over rounds):")
    for option, rows in readings.items():
        print(f"  {option}: " + ", ".join(f"{n} {statistics.median(r['store_ms'].get(n, 0) for r in rows):.2f}"
                                        for n in rows[0]["store_ms"]))
    print("\nRSS / peak (MB) after question n (last round):")
    for option, rows in readings.items():
        print(f"  {option}: " + ", ".join(f"{n}: {a:.0f}/{b:.0f}" for n, (a, b) in rows[-1]["trace"].items()))
    last = readings[args.options[0]][-1]
    for stage in ("open", "after_50", "after_more"):
        s = last[stage]
        print(f"\n{args.options[0]} {stage}: RSS {s['VmRSS']:.0f} (anon {s['RssAnon']:.0f}, file "
              f"{s['RssFile']:.0f}), peak {s['VmHWM']:.0f}")
        for name, g in s["maps"].items():
            print(f"  {g['mb']:7.1f} MB  {g['maps']:4d} maps  {name}")
            for file, mb in g.get("largest", {}).items():
                print(f"           {mb:7.1f} MB  {file}")



def interleaved(index: str, maps: list[str], questions: int, seed_rounds: int) -> dict:
    """CPU per question (search thread + lexical tasks) of one Retriever whose view's store is
    switched, question by question, between stores of the same file opened with each memory map
    size in `maps` (ABAB..., then BABA...): the load of the machine falls on every setting alike."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from dataclasses import replace

    import qa.retrieval as R
    import qa.store as S
    import run_all
    from qa import mapped

    mapped.RELEASE_EVERY = 0  # the store's map alone differs
    spent = _timed_cpu(S, R)

    class Sized(S.Store):
        """A store whose connections map `map_bytes` (a negative value: that many in the lexical
        threads' connections, none in the others'), with a page cache of `cache_kib` (0: SQLite's)."""

        def __init__(self, path, map_bytes: int, cache_kib: int = 0) -> None:
            super().__init__(path)
            self.map_bytes, self.cache_kib = map_bytes, cache_kib

        def connection(self):
            fresh = getattr(self._local, "conn", None) is None
            conn = super().connection()
            if fresh:
                size = self.map_bytes
                if size < 0:
                    size = -size if threading.current_thread().name.startswith("qa-lexical") else 0
                conn.execute(f"PRAGMA mmap_size={size}")
                if self.cache_kib:
                    conn.execute(f"PRAGMA cache_size=-{self.cache_kib}")
            return conn

    r = R.Retriever.open(index)
    view = r._view
    views = [replace(view, store=Sized(view.store.path, *map(int, m.split(':')))) for m in maps]
    qs = [q for _, q, _ in run_all.questions(60)][:questions]
    # the questions once through a store of their own first: what a question's second asking
    # finds cached (its vector, tokens, language) is then found by every setting alike
    r._view = replace(view, store=Sized(view.store.path, S.MMAP_BYTES))
    for q in qs:
        r.search(q, k=5)
    cpu: list[list[float]] = [[] for _ in maps]
    by_read: list[dict[str, float]] = [dict.fromkeys(STORE_READS, 0.0) for _ in maps]
    results: list[list] = [[] for _ in maps]
    for i, q in enumerate(qs * seed_rounds):
        order = list(range(len(maps))) if i % 2 == 0 else list(range(len(maps)))[::-1]
        for j in order:
            r._view = views[j]
            tt, before = time.thread_time(), dict(spent)
            hits = r.search(q, k=5)
            took = time.thread_time() - tt + spent["lexical tasks"] - before["lexical tasks"]
            if i > 0:  # the first question samples the term statistics
                cpu[j].append(took)
                for name in STORE_READS:
                    by_read[j][name] += spent[name] - before[name]
            results[j].append([h.id for h in hits])
    return {"maps": maps, "questions": len(qs) * seed_rounds,
            "cpu_ms_mean": [statistics.mean(c) * 1000 for c in cpu],
            "cpu_ms_median": [statistics.median(c) * 1000 for c in cpu],
            "paired_ratio_median": [statistics.median(b / a for a, b in zip(cpu[0], c)) for c in cpu],
            "store_ms": [{n: round(v * 1000 / len(cpu[0]), 3) for n, v in b.items() if v} for b in by_read],
            "same_results": all(res == results[0] for res in results)}


def release_cost(index: str, map_bytes: int, questions: int, fresh: bool = False) -> dict:
    """CPU per question (search thread + lexical tasks) right after `qa.mapped.release` against
    without it, the release's own time counted: the questions once through (warm caches), then
    twice, the release before the even questions the first time and before the odd ones the
    second, compared question by question."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    import qa.retrieval as R
    import qa.store as S
    import run_all
    from qa import mapped

    S.MMAP_BYTES = map_bytes
    mapped.RELEASE_EVERY = 0  # released here, before the chosen questions
    spent = _timed_cpu(S, R)
    r = R.Retriever.open(index)
    qs = [q for _, q, _ in run_all.questions(60)][:questions]
    for q in qs:
        r.search(q, k=5)
    took: dict[bool, dict[int, float]] = {True: {}, False: {}}
    process: dict[bool, dict[int, float]] = {True: {}, False: {}}
    for parity in (0, 1):
        for i, q in enumerate(qs):
            released = (i + parity) % 2 == 0
            if fresh:  # the question and its candidates' sentences encoded again, as a new question's
                r.encoder.clear_cache()
                with r.encoder._lock:
                    r.encoder._sentences.clear()
            t, tt, lex = time.process_time(), time.thread_time(), spent["lexical tasks"]
            if released:
                mapped.release()
            r.search(q, k=5)
            took[released][i] = time.thread_time() - tt + spent["lexical tasks"] - lex
            process[released][i] = time.process_time() - t
    return {"map_bytes": map_bytes, "questions": len(qs), "fresh": fresh,
            "cpu_ms_mean": {"released": statistics.mean(took[True].values()) * 1000,
                            "kept": statistics.mean(took[False].values()) * 1000},
            "paired_ratio_median": statistics.median(took[True][i] / took[False][i] for i in range(len(qs))),
            "process_ms_mean": {"released": statistics.mean(process[True].values()) * 1000,
                                "kept": statistics.mean(process[False].values()) * 1000},
            "process_paired_ratio_median": statistics.median(process[True][i] / process[False][i]
                                                             for i in range(len(qs)))}


if __name__ == "__main__":
    main()
