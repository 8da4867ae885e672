"""Session 16's mutation audit: one plausible bug at a time, the tests that should catch it run.

Each mutant replaces one exact text (found exactly once) in a file of qa/, runs
`python -m pytest -q -x` on its tests with `CI=true`, records killed (a test failed) or
survived (all passed), and puts the file back as it was, whatever happens.

    PYTHONPATH=$PWD python benchmarks/mutants16.py [ID ...]   # all, or the mutants named
Results: benchmarks/out/mut16/results.jsonl (one line per run) and each run's output.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mut16"

# (id, file, old text, new text, pytest arguments); arguments after a `-k EXPR` that name another
# file start a run of their own (a `-k` applies to every file of its run)
MUTANTS: list[tuple[str, str, str, str, list[str]]] = [
    ("fresh-digest-key", "qa/freshness.py", "key = (path, st.st_size, st.st_mtime_ns, st.st_ctime_ns)",
     "key = (path, st.st_size)", ["tests/test_freshness.py"]),
    ("fresh-size", "qa/freshness.py", 'if st.st_size != row["file_size"]:\n            return CHANGED',
     'if False:\n            return CHANGED', ["tests/test_freshness.py"]),
    ("racy-never", "qa/indexer.py", "item.ctime_ns = RACY_CTIME", "pass",
     ["tests/test_reliability.py", "-k", "clock_tick", "tests/test_freshness.py",
      "tests/test_index.py::test_a_touched_file_is_read_once_then_trusted_again"]),
    ("racy-fine-only", "qa/freshness.py", "(RACY_NS if time_ns % 10**9 == 0 else RACY_FINE_NS)", "RACY_FINE_NS",
     ["tests/test_reliability.py", "-k", "clock_tick"]),
    ("moved-origin", "qa/indexer.py", "moved[state.doc_id] = origin_of(path)", "pass",
     ["tests/test_freshness.py::test_a_moved_folder_indexed_again_is_watched_where_it_is_now"]),
    ("kept-none", "qa/indexer.py", "if item.stored is None:\n            continue", "if True:\n            continue",
     ["tests/test_index.py", "-k", "changed_file_embeds or sentence_boundaries or incremental"]),
    ("add-known", "qa/indexer.py",
     "source = known if known is not None and known not in taken else _unique_source(source, path, states, taken)",
     "source = _unique_source(source, path, states, taken)",
     ["tests/test_integrity.py::test_adding_a_file_indexed_under_another_name_updates_it",
      "tests/test_shards.py::test_a_file_added_alone_that_another_shard_holds_under_its_folder_s_name_is_updated_there"]),
    ("unique-origin", "qa/indexer.py",
     "if (state is None or state.origin in (None, origin)) and source not in taken:",
     "if state is None and source not in taken:",
     ["tests/test_integrity.py", "-k", "add", "tests/test_web.py", "-k", "add or upload"]),
    ("remove-nfc", "qa/indexer.py", "for form in (str, nfc):", "for form in (str,):",
     ["tests/test_filters.py", "tests/test_shards.py", "-k", "unicode or decomposed or look_alike"]),
    ("index-in-folder", "qa/indexer.py", " and not is_index(Path(dirpath) / d))", ")",
     ["tests/test_integrity.py::test_an_index_inside_the_indexed_folder_is_not_indexed"]),
    ("sentences-version", "qa/indexer.py",
     'if meta.get("sentences_version", "1") != str(SENTENCES_VERSION):', "if False:",
     ["tests/test_index.py::test_changed_sentence_boundaries_reembed_only_the_passages_they_move"]),
    ("fingerprint-skip", "qa/compat.py",
     "if recorded is None or fingerprint is None or fingerprint == recorded:", "if True:",
     ["tests/test_index.py", "-k", "model_folder_changed or hub_model_updated"]),
    ("model-mismatch", "qa/compat.py",
     "if requested is not None and canonical_model_name(requested) != built:", "if False:",
     ["tests/test_index.py::test_other_model_is_a_clear_error", "tests/test_integrity.py", "-k", "model"]),
    ("tokens-newer", "qa/compat.py", 'return int(meta.get("tokens_version", 1)) != TOKENS_VERSION',
     'return int(meta.get("tokens_version", 1)) < TOKENS_VERSION', ["tests/test_integrity.py", "-k", "tokens or version"]),
    ("format-newer", "qa/compat.py", "if version > FORMAT_VERSION:", "if version > FORMAT_VERSION + 1:",
     ["tests/test_reliability.py::test_index_of_a_newer_format_is_a_clear_error"]),
    ("rollback-commits", "qa/store.py",
     'elif self.conn.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)\n'
     '            self.conn.execute("ROLLBACK")',
     'elif self.conn.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)\n'
     '            self.conn.execute("COMMIT")',
     ["tests/test_reliability.py", "-k", "full_disk or fills or vanishing or sigkill",
      "tests/test_integrity.py", "-k", "failed_rebuild"]),
    ("k-zero", "qa/retrieval.py", "if k < 1:", "if k < 0:", ["tests/test_reliability.py", "-k", "bad_input"]),
    ("distinct-k-plus-1", "qa/retrieval.py", "elif len(top) < k:", "elif len(top) <= k:",
     ["tests/test_repeated_words.py", "tests/test_retrieval.py"]),
    ("also-in-dropped", "qa/retrieval.py", "also.setdefault(same, []).append(place[1])", "pass",
     ["tests/test_repeated_words.py"]),
    ("dedup-by-head", "qa/retrieval.py", "words.setdefault(i, places[i][0].split()) == mine", "True",
     ["tests/test_repeated_words.py"]),
    ("spare-second-pass", "qa/retrieval.py", "if len(shown) < k and len(top) > spare:", "if False:",
     ["tests/test_repeated_words.py"]),
    ("weak-lang-flip", "qa/retrieval.py", 'weak_threshold(WEAK_DENSE, row["lang"] == qlang)', 'weak_threshold(WEAK_DENSE, row["lang"] != qlang)',
     ["tests/test_weak_and_answer.py", "tests/test_weak_words.py", "tests/test_weakbar.py"]),
    ("since-until-precision", "qa/filters.py", "where.since[:len(where.until)] > where.until",
     "where.since > where.until", ["tests/test_filters.py"]),
    ("filter-parts", "qa/filters.py",
     '"(d.source = ? OR substr(d.source, 1, ?) = ? OR substr(d.source, 1, ?) = ?)"',
     '"(d.source = ? OR substr(d.source, 1, ?) = ? OR 0 AND substr(d.source, 1, ?) = ?)"', ["tests/test_filters.py"]),
    ("filter-nfd", "qa/filters.py", 'for form in ("NFC", "NFD"))', 'for form in ("NFC",))', ["tests/test_filters.py"]),
    ("filter-exact-order", "qa/filters.py", "np.lexsort((ids, -column))", "np.lexsort((ids, column))",
     ["tests/test_filters.py"]),
    ("number-after-off-by-one", "qa/sharded_build.py", "local = {table: last // manifest.count for",
     "local = {table: last // manifest.count - 1 for",
     ["tests/test_shards.py", "-k", "citation or lost_shard", "tests/test_integrity.py", "-k", "citation"]),
    ("lost-shard-cited", "qa/sharded_build.py", "cited[table] = max(cited.get(table, 0), last)", "pass",
     ["tests/test_shards.py", "-k", "citation or lost_shard"]),
    ("upload-empty", "qa/web_uploads.py", "if size == 0:", "if size < 0:",
     ["tests/test_web.py", "-k", "upload"]),
    ("cli-json-index-note", "qa/cli.py", "if report.removed and not args.add and not args.json:",
     "if report.removed and not args.add:", ["tests/test_cli.py", "tests/test_shards.py", "-k", "cli"]),
    ("cli-interrupt-130", "qa/cli.py", "return 130", "return 1", ["tests/test_cli.py", "tests/test_reliability.py"]),
    ("pdf-piece-page", "qa/passages.py", "block.page_at(s), section)", "block.page_at(block.start), section)",
     ["tests/test_pdf_pages.py", "tests/test_readers.py", "-k", "page"]),
    ("passages-newer", "qa/compat.py", "if made != PASSAGES_VERSION:", "if made < PASSAGES_VERSION:",
     ["tests/test_integrity.py", "-k", "version or newer"]),
    ("upload-same-name-3", "qa/web_uploads.py", "while target in taken:", "if target in taken:",
     ["tests/test_web.py", "-k", "upload"]),
    ("answer-across-paragraphs", "qa/answer.py", "is not None  # sentences of two paragraphs",
     "is None and False  # sentences of two paragraphs",
     ["tests/test_weak_and_answer.py", "tests/test_tables.py", "tests/test_sections.py"]),
    ("answer-table-row-joined", "qa/answer.py", "if spans[best] in rows or spans[neighbour] in rows:", "if False:",
     ["tests/test_tables.py", "tests/test_weak_and_answer.py"]),
    ("answer-question-as-answer", "qa/answer.py", "or rows.get(span, False) or _is_question(text, span)",
     "or rows.get(span, False)", ["tests/test_weak_and_answer.py", "tests/test_sections.py", "tests/test_tables.py"]),
]


def groups(tests: list[str]) -> list[list[str]]:
    """`tests` cut into separate pytest runs: a new run starts at a file named after a `-k`."""
    runs: list[list[str]] = [[]]
    for arg in tests:
        if runs[-1] and "-k" in runs[-1] and runs[-1][-1] != "-k" and arg.startswith("tests/"):
            runs.append([])
        runs[-1].append(arg)
    return runs


def run(mutant: tuple[str, str, str, str, list[str]], timeout: float = 1500) -> dict:
    ident, file, old, new, tests = mutant
    path = ROOT / file
    original = path.read_text(encoding="utf-8")
    if original.count(old) != 1:
        return {"id": ident, "result": f"not applied ({original.count(old)} matches)"}
    log = OUT / f"{ident}.txt"
    started = time.time()
    try:
        path.write_text(original.replace(old, new), encoding="utf-8")
        env = dict(os.environ, CI="true", PYTHONPATH=str(ROOT))
        rc: int | str = 0
        with open(log, "w") as out:
            for group in groups(tests):
                out.flush()
                try:
                    rc = subprocess.run(["nice", "-n", "10", sys.executable, "-m", "pytest", "-q", "-x",
                                         "-p", "no:cacheprovider", *group], cwd=ROOT, env=env, stdout=out,
                                        stderr=subprocess.STDOUT, timeout=timeout).returncode
                except subprocess.TimeoutExpired:
                    rc = "timeout"
                if rc != 0:
                    break
    finally:
        path.write_text(original, encoding="utf-8")
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
    result = "survived" if rc == 0 else "killed" if rc == 1 else f"error rc={rc}"
    return {"id": ident, "file": file, "result": result, "summary": tail[0], "seconds": round(time.time() - started)}


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for mutant in MUTANTS:
        if names and mutant[0] not in names:
            continue
        record = run(mutant)
        print(json.dumps(record), flush=True)
        with open(OUT / "results.jsonl", "a") as fh:
            fh.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
