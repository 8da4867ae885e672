"""Session 19's mutation audit ("checks that cannot fail", round 3): one plausible bug at a time in
what session 18 added, the tests that should catch it run against it.

As `benchmarks/mutants18.py` (whose tree copy and runner it reuses): each mutant replaces one exact text (found
exactly once) in a file of qa/ of a temporary copy of the tree (the files git knows and the working
tree's new ones; or with `--rev` those of a commit), runs `python -m pytest -q -x` there with
`CI=true` on the tests named for it, records killed (a test failed), survived (all passed) or
timeout, and deletes the copy. The tree itself is never changed.

    PYTHONPATH=$PWD python benchmarks/mutants19.py [ID ...]        # all, or the mutants named
    PYTHONPATH=$PWD python benchmarks/mutants19.py --jobs 2         # two mutants at a time
    PYTHONPATH=$PWD python benchmarks/mutants19.py --rev 36fde5d    # the suite as it was (session 18's end)
    PYTHONPATH=$PWD python benchmarks/mutants19.py --check          # only whether every mutant applies
    PYTHONPATH=$PWD python benchmarks/mutants19.py --table          # the last result of each, as a table
Results: benchmarks/out/mut19/results.jsonl (one line per run) and each run's output.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutants18  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mut19"

WEAK = ["tests/test_weak_across.py"]
RACY = ["tests/test_reliability.py", "-k", "clock_tick or within_the_second"]
UPLOADS = ["tests/test_web.py", "-k", "kill_mid_upload or kill_after or full_run or qa_index_runs or upload_names",
           "tests/test_reliability.py", "-k", "upload"]
WORDS = ["tests/test_word_index.py",
         "tests/test_shard_stats.py::test_an_index_grown_then_pruned_translates_words_as_one_built_afresh"]
# the quick tests first, a run of their own (pytest runs a file's tests in the file's order, whatever
# the order of the node ids given; the sharded comparison took over 20 minutes at a load of 20)
LENGTHS = ["tests/test_shard_stats.py", "-k", "lengths_read_at_once",
           "tests/test_shard_stats.py", "-k", "fts5_s_to_the_bit or answer_like_one_index"]
PACKAGES = ["tests/test_formats_other_names.py", "-k", "renamed or templates or bad_files or tsv",
            "tests/test_formats_other_names.py", "-k", "not (renamed or templates or bad_files or tsv)"]
SUBTITLES = ["tests/test_subtitles.py"]
TITLES = ["tests/test_untitled_documents.py"]
DIRECT = ["tests/test_encoder.py", "-k", "bit_for_bit or wrapper_skips or through_sentence_transformers or query_prompt"]
INDEXING = ["tests/test_web_indexing.py"]
ROMANIAN = ["tests/test_tokens.py", "-k", "romanian or turkish", "tests/test_function_words.py", "-k", "mended"]
STOPWORDS = ["tests/test_function_words.py", "-k", "not content_words"]

# (id, file, old text, new text, pytest arguments, what the mutation is); arguments after a `-k EXPR`
# that name another file start a run of their own (a `-k` applies to every file of its run)
MUTANTS: list[tuple[str, str, str, str, list[str], str]] = [
    # --- the weak bar across languages: qa.fusion.question_closeness, is_weak, make_passages, the calibration
    ("closeness-best-only", "qa/fusion.py",
     "return sum(heapq.nlargest(WEAK_QUESTION_TOP, dense)) / WEAK_QUESTION_TOP", "return max(dense, default=0.0)",
     WEAK, "the closeness is the best candidate's score, not the mean of the ten best"),
    ("closeness-mean-of-found", "qa/fusion.py",
     "    return sum(heapq.nlargest(WEAK_QUESTION_TOP, dense)) / WEAK_QUESTION_TOP",
     "    top = heapq.nlargest(WEAK_QUESTION_TOP, dense)\n    return sum(top) / max(len(top), 1)",
     WEAK, "missing candidates (a small folder) not counted as 0: the mean of those found"),
    ("closeness-floor-dropped", "qa/fusion.py",
     "closeness >= closeness_bar\n                and dense >= WEAK_QUESTION_FLOOR)", "closeness >= closeness_bar)",
     WEAK, "the passage's own floor (WEAK_QUESTION_FLOOR) not asked"),
    ("closeness-with-hub-bar", "qa/fusion.py", "        closeness_bar = None  # chosen against the fixed bar too\n",
     "", WEAK, "the closeness frees passages under the hub bar too"),
    ("across-any", "qa/retrieval.py", "across = all(rows[i][\"lang\"] != qlang", "across = any(rows[i][\"lang\"] != qlang",
     WEAK, "the closeness counts when some passage shown (not every one) is in another language"),
    ("closeness-same-language", "qa/retrieval.py",
     "None if row[\"lang\"] == qlang else closeness, calibration.weak_question",
     "closeness, calibration.weak_question", WEAK, "a passage in the question's language freed by the closeness too"),
    ("weak-question-uncalibrated", "qa/encoder.py", "weak_sentence=WEAK_SENTENCE, weak_question=WEAK_QUESTION)",
     "weak_sentence=WEAK_SENTENCE)", WEAK, "USE-m3's calibration without its closeness bar"),
    # --- qa/freshness.py racy hashes, the indexer's racy change time
    ("racy-hash-kept", "qa/freshness.py", "keep = not racy(max(st.st_mtime_ns, st.st_ctime_ns))", "keep = True",
     RACY, "a hash read within its file's clock tick kept"),
    ("racy-mtime-only", "qa/freshness.py", "keep = not racy(max(st.st_mtime_ns, st.st_ctime_ns))",
     "keep = not racy(st.st_mtime_ns)", RACY, "only the modification time asked (one set back: cp -p, rsync -t, tar)"),
    ("racy-fine-tick-only", "qa/freshness.py", "(RACY_NS if time_ns % 10**9 == 0 else RACY_FINE_NS)", "RACY_FINE_NS",
     RACY, "whole-second times taken for a fine clock's (0.1 s window)"),
    # (at 36fde5d the line read `if racy(item.mtime_ns):`, the same mutant; this session asks the change time too)
    ("indexer-never-racy", "qa/indexer.py", "    if racy(max(item.mtime_ns, item.ctime_ns or 0)):\n", "    if False:\n",
     RACY, "`qa index` records a racy file's change time"),
    # --- qa/web_uploads.py: Uploads.recover, the index's hash for "unchanged", `indexing`
    ("recover-never-puts-back", "qa/web_uploads.py",
     "                    os.replace(keep, target)\n                else:", "                    keep.unlink()\n                else:",
     UPLOADS, "an earlier version the index holds deleted, not put back"),
    ("recover-without-hash", "qa/web_uploads.py",
     "if keep.is_file() and target in indexed and _digest(keep) == indexed[target]:",
     "if keep.is_file() and target in indexed:", UPLOADS,
     "an earlier version put back although the index holds the new one"),
    ("recover-never-called", "qa/web_uploads.py", "        if policy.enabled:\n            self.recover()\n", "",
     UPLOADS, "a server started again does not recover"),
    ("unchanged-by-file-only", "qa/web_uploads.py",
     "if earlier_indexed and indexed[os.path.abspath(target)] == _digest(tmp) \\\n"
     "                            and filecmp.cmp(", "if earlier_indexed and filecmp.cmp(", UPLOADS,
     "\"unchanged\" when the file on disk equals the one dropped, whatever the index holds"),
    # --- the words' inverted file as a function of the words (qa/word_index.py, word_translation, store)
    ("ivf-rows-order", "qa/word_index.py", "    order = canonical(keys)\n", "    order = np.arange(len(keys))\n",
     WORDS, "the inverted file trained and filled in the rows' order"),
    ("ivf-old-training-kept", "qa/word_index.py", "and old.training == TRAINING", "and True",
     WORDS, "a file of before the ordered training kept as unchanged"),
    ("ann-trained-in-rows-order", "qa/word_translation.py",
     "self._ann = word_index.build(self.vectors, self.keys)",
     "self._ann = word_index.build(self.vectors, [(f\"{i:09d}\", \"\") for i in range(len(self.keys))])",
     WORDS, "a sharded index's merged words trained in their rows' order"),
    ("candidates-not-rescored", "qa/word_translation.py",
     "return self._untie(self._rescored(word_vectors, scores, found), found)", "return self._untie(scores, found)",
     WORDS, "the inverted file's 8-bit scores ranked, not the exact cosines"),
    # --- qa/lexical_stats.py first_varints (a passage's length for BM25)
    ("varint-two-high-bit", "qa/lexical_stats.py", "out[two] = ((b0[two] & 0x7F) << 7) | b1[two]",
     "out[two] = (b0[two] << 7) | b1[two]", LENGTHS, "a two-byte length keeps its continuation bit"),
    ("varint-long-zero", "qa/lexical_stats.py", "        out[i] = varints(blobs[i])[0]\n", "        out[i] = 0\n",
     LENGTHS, "lengths of 16,384 tokens or more read as 0"),
    ("lengths-misaligned", "qa/store.py", "lengths = first_varints([sizes[i] for i in first.tolist()])",
     "lengths = first_varints(sizes[:len(ids)])", LENGTHS, "the lengths taken in postings' order, not the ids'"),
    # --- qa/readers/packages.py: Office and OpenDocument under other names, by content type
    ("ooxml-by-name", "qa/readers/packages.py",
     "        if content_type in MAIN_TYPES:\n            return MAIN_TYPES[content_type]\n", "        pass\n",
     PACKAGES, "a package read by its suffix, not its main part's content type"),
    ("plain-never-rewritten", "qa/readers/packages.py", "if types is None or plain.encode() in types:", "if True:",
     PACKAGES, "templates and macro-enabled documents handed to python-docx/pptx as they are"),
    ("odf-by-name", "qa/readers/packages.py", "return _ODF_TYPES.get(name, ODF_SUFFIXES[suffix])",
     "return ODF_SUFFIXES[suffix]", PACKAGES, "an OpenDocument file read by its suffix, not its mimetype"),
    # --- qa/readers/subtitles.py, Passage.time
    ("clock-minutes-unwrapped", "qa/citations.py", "{seconds // 60 % 60:02d}", "{seconds // 60:02d}",
     SUBTITLES, "a time past the first hour counts its minutes from 0:00 (\"01:72:05\")"),
    ("timed-as-page", "qa/citations.py", "    if meta.get(\"timed\"):\n", "    if False:\n",
     SUBTITLES, "a transcript's passage cited by page"),
    ("later-cue-paragraph-time", "qa/readers/subtitles.py", "later.append((pos, ms // 1000))",
     "later.append((pos, paragraph[0][0] // 1000))", SUBTITLES, "every cue of a paragraph at its first cue's time"),
    ("speaker-no-new-paragraph", "qa/readers/subtitles.py",
     "new_speaker = (who is not None and who != speaker) or words.startswith(\">>\")",
     "new_speaker = words.startswith(\">>\")", SUBTITLES, "a new WebVTT voice does not start a paragraph"),
    ("broadcast-mark-ignored", "qa/readers/subtitles.py",
     "new_speaker = (who is not None and who != speaker) or words.startswith(\">>\")",
     "new_speaker = who is not None and who != speaker", SUBTITLES,
     "a caption's \">>\" (a new speaker) does not start a paragraph"),
    ("pause-ignored", "qa/readers/subtitles.py", "\n                    or (ended and ms - last_end >= PAUSE_MS)):",
     "):", SUBTITLES, "a pause after a sentence's end does not end a paragraph"),
    # --- qa/readers/text.py opening_title
    ("title-any-first-paragraph", "qa/readers/text.py",
     "return first if is_heading(first) and _title_like(first) else None",
     "return first if _title_like(first) else None", TITLES, "a first paragraph that is a sentence taken for the title"),
    ("title-table-row", "qa/readers/text.py", "return sum(c.isalpha() for c in line) >= 3 and \" | \" not in line",
     "return sum(c.isalpha() for c in line) >= 3", TITLES, "a table's first row taken for the title"),
    # --- qa/encoder.py direct_queries / use_runner_of
    ("direct-not-renormalised", "qa/encoder.py",
     "torch.nn.functional.normalize(torch.from_numpy(vectors), p=2,\n"
     "                                                                            dim=1).numpy()", "vectors",
     DIRECT, "the runner's vectors not normalised again as sentence-transformers does"),
    ("runner-despite-prompt", "qa/encoder.py",
     "    if prompt or getattr(model, \"truncate_dim\", None) is not None:\n        return None\n", "",
     DIRECT, "the runner used although the model has a query prompt or a truncation"),
    # --- qa/web_app.py: the status line and the "not searched yet" note
    ("note-never-shown", "qa/web_app.py", "        if adding:\n            note =", "        if False:\n            note =",
     INDEXING, "an answer given while an upload is indexed does not say so"),
    ("short-names-all", "qa/web_app.py", "return \", \".join(names[:shown]) + (f\" +{more}\" if more > 0 else \"\")",
     "return \", \".join(names)", INDEXING, "every file named in the status line (300 uploads: 300 names)"),
    # --- Romanian ș ț folded with the cedilla (qa/language.py fold)
    ("ro-capitals-kept", "qa/language.py",
     "_COMMA_BELOW = ((\"\\u0219\", \"\\u015f\"), (\"\\u021b\", \"\\u0163\"), (\"\\u0218\", \"\\u015e\"), "
     "(\"\\u021a\", \"\\u0162\"))", "_COMMA_BELOW = ((\"\\u0219\", \"\\u015f\"), (\"\\u021b\", \"\\u0163\"))",
     ROMANIAN, "capitals Ș Ț not folded"),
    ("ro-not-rare", "qa/language.py", "\\u0e4d\\u0ecd\\u0218-\\u021b]", "\\u0e4d\\u0ecd]",
     ROMANIAN, "ș ț not among the rare characters that start `fold`'s rewrite"),
    # --- stop-word list mending (qa/language.py)
    ("not-function-ignored", "qa/language.py", "dropped = set(NOT_FUNCTION_WORDS.get(lang, \"\").split())",
     "dropped = set()", STOPWORDS, "NOT_FUNCTION_WORDS not taken out of the package lists"),
    ("more-function-ignored", "qa/language.py",
     "if w not in dropped] + MORE_FUNCTION_WORDS.get(lang, \"\").split()", "if w not in dropped]",
     STOPWORDS, "MORE_FUNCTION_WORDS not added"),
    ("list-quotes-kept", "qa/language.py", "_LIST_QUOTES = \" \\\"',\\ufeff\"", "_LIST_QUOTES = \" \"",
     STOPWORDS, "the Hebrew list's quotes and the Slovak list's byte-order mark kept"),
    ("multiword-entries-kept", "qa/language.py",
     "return [w for w in words if w and not any(ch.isspace() for ch in w)]", "return [w for w in words if w]",
     STOPWORDS, "entries of several words kept"),
    ("romanian-mended-list-lost", "qa/language.py", "    \"ro\": \"mare nou noua", "    \"ro-x\": \"mare nou noua",
     STOPWORDS, "Romanian's content words (mare, nou, azi...) left in its function words"),
    ("romanian-e-trebuie-lost", "qa/language.py", "dintr-o dintr-un într-o într-un e trebuie\"\"\"",
     "dintr-o dintr-un într-o într-un\"\"\"", STOPWORDS, "Romanian's e (is) and trebuie (must) searched"),
]


def run(mutant: tuple[str, str, str, str, list[str], str], rev: str | None = None, timeout: float = 1200) -> dict:
    return mutants18.run(mutant, rev, timeout, out_dir=OUT, prefix="mut19")


def table() -> str:
    """The last result of each mutant (benchmarks/out/mut19/results.jsonl), per revision, as Markdown."""
    last: dict[tuple[str, str], dict] = {}
    if (OUT / "results.jsonl").exists():
        for line in (OUT / "results.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            last[(row["id"], row.get("rev", ""))] = row
    revs = sorted({rev for _, rev in last})
    lines = ["| # | id | file | mutation | " + " | ".join(revs) + " |", "|---|---|---|---|" + "---|" * len(revs)]
    for n, (ident, file, _, _, _, what) in enumerate(MUTANTS, start=1):
        cells = []
        for rev in revs:
            row = last.get((ident, rev))
            cells.append("" if row is None else row["result"] + (f": {row['failed'][0]}" if row.get("failed") else ""))
        lines.append(f"| {n} | {ident} | {file} | {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--rev", help="run against the tests and code of this commit (the suite as it was), "
                                      "not the working tree")
    parser.add_argument("--check", action="store_true", help="only say whether each mutant applies")
    parser.add_argument("--table", action="store_true", help="print the last results as a table")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.table:
        print(table())
        return 0
    unknown = set(args.ids) - {m[0] for m in MUTANTS}
    if unknown:
        print(f"unknown mutants: {sorted(unknown)}", file=sys.stderr)
        return 2
    chosen = [m for m in MUTANTS if not args.ids or m[0] in args.ids]
    if args.check:
        bad = [(m[0], (ROOT / m[1]).read_text(encoding="utf-8").count(m[2])) for m in chosen]
        bad = [(ident, n) for ident, n in bad if n != 1]
        print(f"{len(chosen)} mutants, {len(bad)} not applicable: {bad}")
        return 1 if bad else 0
    mutants18.run_chosen(chosen, lambda m: run(m, args.rev), args.jobs, OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
