"""Session 20's mutation audit ("checks that cannot fail", round 4): one plausible bug at a time in
what sessions 19 and 20 added, the tests that should catch it run against it.

As `benchmarks/mutants18.py` (whose tree copy and runner it reuses) and `mutants19.py` (whose
`--check` and `--table` it reuses): each mutant replaces one exact text (found exactly once) in a
file of qa/ of a temporary copy of the tree (the files git knows and the working tree's new ones;
or with `--rev` those of a commit), runs `python -m pytest -q -x` there with `CI=true` on the tests
named for it, records killed (a test failed), survived (all passed) or timeout, and deletes the
copy. The tree itself is never changed.

    PYTHONPATH=$PWD python benchmarks/mutants20.py --jobs 1 [ID ...]        # all, or the mutants named
    PYTHONPATH=$PWD python benchmarks/mutants20.py --jobs 1 --rev 97b25cb   # the suite as it was (session 20's start of this audit)
    PYTHONPATH=$PWD python benchmarks/mutants20.py --check                  # only whether every mutant applies
    PYTHONPATH=$PWD python benchmarks/mutants20.py --table                  # the last result of each, as a table
Results: benchmarks/out/mut20/results.jsonl (one line per run) and each run's output.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutants18  # noqa: E402
import mutants19  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mut20"

# the quick unit tests (no model, no index) of each part first; the tests that index come after
FOLLOWUP_UNIT = ["tests/test_followup_languages.py", "-k", "pronoun or lean or stand_alone or each_cue or chain_s",
                 "tests/test_followup.py", "-k", "lean_on or stand_alone"]
FOLLOWUP_TOPIC = ["tests/test_followup_languages.py", "-k", "person_finds_the_passage"]
POOL_UNIT = ["tests/test_weak_pool.py", "-k", "the_rule or the_pool"]
OUTSIDE_UNIT = ["tests/test_outside_weak.py", "-k", "the_coverage"]
PREFIXES = ["tests/test_outside_weak.py", "-k", "the_coverage or tagged_forms"]
MAIL_UNIT = ["tests/test_mail_answers.py", "-k", "header_lines_found"]
MAIL = ["tests/test_mail_answers.py"]
CUES = ["tests/test_subtitles.py", "-k", "cues_joined or cited_with_its_time"]
RELABEL = ["tests/test_identifier_change.py", "-k",
           "record_is or record_alone or vocabulary_follows or None or during_the_repair or language_alone"]
COMMAND = ["tests/test_integrity.py", "-k", "command_an_index_error or recorded_folders_only or given_relative"]
PROBE = ["tests/test_index.py", "-k", "middle_of_a_file"]
LEXICAL = ["tests/test_repeated_words.py", "-k", "lexical_search_describes", "tests/test_weak_pool.py", "-k", "lexical_mode"]
HELD = ["tests/test_web_workday.py", "-k", "on_its_way"]

# (id, file, old text, new text, pytest arguments, what the mutation is); arguments after a `-k EXPR`
# that name another file start a run of their own (a `-k` applies to every file of its run)
MUTANTS: list[tuple[str, str, str, str, list[str], str]] = [
    # --- follow-ups in more languages: qa/followup.py cues, reads_topic, read_with; topics_of
    ("pronoun-is-own-word", "qa/followup.py",
     "               and w not in _POINTING.get(lang, ()))", "               )",
     FOLLOWUP_UNIT, "a pointing word of the question's language counted as a word of its own (\"它的总部\")"),
    ("other-list-despite-own-function-word", "qa/followup.py",
     "    return word not in own_function_words and any(word in words for words in lists.values())",
     "    return any(word in words for words in lists.values())",
     FOLLOWUP_UNIT, "a word of another language's list points back although a function word of the question's"),
    ("person-after-any-question", "qa/followup.py",
     "asks_who = earlier is None or any(w in WHO for w in own_words(earlier)[0])", "asks_who = True",
     FOLLOWUP_UNIT, "a person's pronoun points back whatever the earlier question asked"),
    ("person-never-without-earlier", "qa/followup.py",
     "asks_who = earlier is None or any(", "asks_who = earlier is not None and any(",
     FOLLOWUP_UNIT, "a person's pronoun with no earlier question given (None: any) points back to none"),
    ("arabic-and-ignored", "qa/followup.py", "if _in(_LEADING, found[0], lang, stop) or ARABIC_AND.match(found[0]):",
     "if _in(_LEADING, found[0], lang, stop):", FOLLOWUP_UNIT, "Arabic's \"and\" written onto the question word (وأين) no cue"),
    ("arabic-suffix-ignored", "qa/followup.py", "if any(_in(_POINTING, w, lang, stop) or ARABIC_SUFFIX.match(w) for w in found):",
     "if any(_in(_POINTING, w, lang, stop) for w in found):", FOLLOWUP_UNIT,
     "Arabic's \"its\" written onto the noun (مقرها) no cue"),
    ("asking-words-are-content", "qa/followup.py", "stop = function_words(lang) | _ASKING.get(lang, frozenset())",
     "stop = function_words(lang)", FOLLOWUP_UNIT, "question words the lists lack (多少) counted as words of its own"),
    ("chain-read-without-its-earlier", "qa/followup.py",
     "while start > 0 and leans_on_previous(earlier[start], \" \".join(earlier[:start])):",
     "while start > 0 and leans_on_previous(earlier[start]):", FOLLOWUP_UNIT,
     "a chain's earlier follow-up judged without the question before it (a person's pronoun leans on any)"),
    ("lean-judged-without-prior", "qa/followup.py", "return prior if leans_on_previous(question, prior) else None",
     "return prior if leans_on_previous(question) else None", FOLLOWUP_UNIT,
     "the follow-up judged without the question it would be read with"),
    ("topic-without-own-words", "qa/followup.py",
     "return PRIOR_LEXICAL == \"topic\" and mode != \"dense\" and bool(own_words(question)[1])",
     "return PRIOR_LEXICAL == \"topic\" and mode != \"dense\"",
     ["tests/test_followup.py", "-k", "finds_its_passage or chain or no_words_of_its_own",
      "tests/test_web.py", "-k", "follow_up_is_read"],
     "a follow-up of no words of its own (\"Pourquoi ?\") read with the topic document too"),
    ("topic-never-passed", "qa/retrieval.py",
     "batch = [Query.of(q, mode, p, view.languages, (topics or {}).get(p) if p else None)",
     "batch = [Query.of(q, mode, p, view.languages, None)", FOLLOWUP_TOPIC,
     "the earlier question's topic document found but not read with (one index)"),
    ("topic-in-the-question-s-language", "qa/retrieval.py",
     "prior_tokens = query_tokens(topic, question_language(topic, languages))",
     "prior_tokens = query_tokens(topic, query.lang)",
     ["tests/test_followup_languages.py", "-k", "person_finds_the_passage or another_language or company_of_another"],
     "the topic document's title tokenized in the follow-up's language, not its own"),
    # --- the weak bar from the question's own candidates: qa.fusion CandidatePool, pool_score, is_weak
    ("pool-z-reversed", "qa/fusion.py", "z = (dense - pool.mean) / (pool.std + 1e-9)",
     "z = (pool.mean - dense) / (pool.std + 1e-9)", POOL_UNIT, "the z-score's sign reversed"),
    ("pool-min-strict", "qa/fusion.py", "pool.count >= WEAK_POOL_MIN", "pool.count > WEAK_POOL_MIN", POOL_UNIT,
     "a pool of exactly WEAK_POOL_MIN candidates frees nothing"),
    ("pool-floor-ignored", "qa/fusion.py", "and dense >= WEAK_POOL_FLOOR and pool_score(", "and pool_score(",
     POOL_UNIT, "the pool rule frees a hit under its dense floor"),
    ("pool-sample-std", "qa/fusion.py", "float(scores.std()), len(scores))", "float(scores.std(ddof=1)), len(scores))",
     POOL_UNIT, "the sample's standard deviation, not the population's the model was fitted with"),
    ("pool-with-hub-bar", "qa/fusion.py", "closeness_bar = pool_bar = None", "closeness_bar = None", POOL_UNIT,
     "the pool rule frees passages under the hub bar too"),
    ("pool-uncalibrated", "qa/encoder.py", "weak_question=WEAK_QUESTION,\n                               weak_pool=WEAK_POOL_BAR)",
     "weak_question=WEAK_QUESTION)", ["tests/test_weak_pool.py", "-k", "freed_by_its_place"],
     "USE-m3's calibration without its pool bar"),
    ("pool-when-some-shown-in-question-s-language", "qa/retrieval.py",
     "across = all(rows[i][\"lang\"] != qlang for _, _, i in top if i in rows)",
     "across = any(rows[i][\"lang\"] != qlang for _, _, i in top if i in rows)",
     ["tests/test_weak_across.py", "-k", "questions_language_shown"],
     "the pool and closeness weighed when some passage shown (not every one) is in another language"),
    # --- qa/outside.py's prefix rule and Store.term_passages' prefixes
    ("prefix-with-tilde", "qa/outside.py", "return token.lstrip(\"~\")[:OUTSIDE_PREFIX] + \"*\"",
     "return token[:OUTSIDE_PREFIX] + \"*\"", OUTSIDE_UNIT, "a tagged Vietnamese token's prefix keeps its ~"),
    ("outside-min-chars-4", "qa/outside.py", "OUTSIDE_MIN_CHARS = 3", "OUTSIDE_MIN_CHARS = 4", OUTSIDE_UNIT,
     "three-letter words not counted"),
    ("idf-fts5-floored", "qa/outside.py", "return math.log(1 + (passages - n + 0.5) / (n + 0.5))",
     "return max(math.log((passages - n + 0.5) / (n + 0.5)), 1e-6)", OUTSIDE_UNIT,
     "FTS5's floored IDF again (a word in half the passages weighs nothing)"),
    ("prefix-without-tagged-forms", "qa/store.py", "return f'\"{stem}\"* OR \"~{stem}\"*'", "return f'\"{stem}\"*'",
     PREFIXES,
     "a prefix does not meet a passage's tagged Vietnamese forms (~khau)"),
    ("prefix-looked-up-as-a-term", "qa/store.py", "            if t.endswith(\"*\"):\n                (n,)",
     "            if False:\n                (n,)", ["tests/test_outside_weak.py", "-k", "inflected"],
     "a prefix term counted as a whole token (held by none)"),
    # --- e-mail header lines: qa.sentences.mail_header_lines and the answer sentence
    ("lone-line-any-label", "qa/sentences.py",
     "if len(run) >= 2 or (run and (run[0][2] in _LONE_LABELS or _ADDRESS.search(text, run[0][0], run[0][1]))):",
     "if run:", MAIL_UNIT, "a lone \"A: ...\" line taken for a header"),
    ("lone-line-address-ignored", "qa/sentences.py",
     "if len(run) >= 2 or (run and (run[0][2] in _LONE_LABELS or _ADDRESS.search(text, run[0][0], run[0][1]))):",
     "if len(run) >= 2 or (run and run[0][2] in _LONE_LABELS):", MAIL_UNIT,
     "a lone header line with an address (\"De: Léa <lea@…>\") not taken for one"),
    ("label-case-kept", "qa/sentences.py", "if header and header.group(1).lower() in MAIL_LABELS:",
     "if header and header.group(1) in MAIL_LABELS:", MAIL_UNIT, "\"From:\" not matched (labels compared unfolded)"),
    ("single-span-header-kept", "qa/answer.py",
     "s, e = _without_mail_headers(text, *spans[0], mail_header_lines(text))", "s, e = spans[0]", MAIL,
     "a passage of one sentence keeps the header lines it starts with"),
    ("quoted-header-kept", "qa/answer.py", "    s, e = _without_mail_headers(text, s, e, headers)\n", "", MAIL,
     "a reply's quoted header kept at the start of the answer it runs into"),
    # --- transcripts cited when their answer is said: citations.cue_time, cited_time, the reader's cues
    ("cue-bisect-left", "qa/citations.py", "at = bisect_right([start for start, _ in cues], offset) - 1",
     "at = bisect_left([start for start, _ in cues], offset) - 1", CUES,
     "words at a cue's very start given the cue before's time"),
    ("cue-offset-in-passage", "qa/retrieval.py", "cue_time(rows[hit.id][\"meta\"], hit.start + hit.answer.start)",
     "cue_time(rows[hit.id][\"meta\"], hit.answer.start)", CUES,
     "the answer's offset in its passage taken for its offset in the document"),
    ("cues-at-block-start", "qa/readers/subtitles.py", "cues.append([pos if n else start, ms // 1000])",
     "cues.append([start, ms // 1000])", CUES, "every cue of a paragraph recorded at the paragraph's start"),
    ("cited-at-passage-time", "qa/citations.py",
     "return (hit.answer.time if hit.answer is not None and hit.answer.time else None) or hit.time",
     "return hit.time", CUES, "a transcript's passage cited at its first cue, not its answer's"),
    # --- identifier repair: Store.relabel, qa.compat.languages_outdated
    ("relabel-document-change-ignored", "qa/store.py", "if plang != old or lang != doc_lang:", "if plang != old:",
     RELABEL, "a passage kept its tokens when only its document's language changed (its title's tokens depend on it)"),
    ("relabel-words-not-recounted", "qa/store.py",
     "fetchone():\n                self.set_meta(conn, words_through=\"-1\")\n            self.set_meta(conn, identifier=record)",
     "fetchone():\n                pass\n            self.set_meta(conn, identifier=record)", RELABEL,
     "the word vocabulary not counted again after languages moved"),
    ("relabel-sentence-tokens-kept", "qa/store.py",
     "self._write_sentence_tokens(conn, sentence_tokens, only_missing=False, only=[row[0] for row in changed])",
     "self._write_sentence_tokens(conn, sentence_tokens, only_missing=True, only=[row[0] for row in changed])",
     RELABEL, "the relabelled passages' sentence tokens not written again"),
    ("relabel-generation-kept", "qa/store.py",
     "            if changed:\n                self.bump_generation(conn)\n                self.finish_build(conn)\n"
     "        return seen, len(changed)",
     "            if changed:\n                self.finish_build(conn)\n        return seen, len(changed)",
     RELABEL, "a repair that wrote tokens leaves the generation (an open searcher's refresh sees no change)"),
    ("identifier-never-recorded", "qa/store.py", "            self.set_meta(conn, identifier=record)\n", "", RELABEL,
     "the identifier's record not written: every run identifies again"),
    ("only-missing-record-outdated", "qa/compat.py", "return meta.get(\"identifier\") != identifier_record()",
     "return \"identifier\" not in meta", RELABEL,
     "only an index without a record is identified again (another identifier's record is not)"),
    # --- the command an index error tells: qa.compat.index_command, named_index, the recorded roots
    ("named-index-unchanged", "qa/layout.py", "        return directory.parent.parent\n", "        pass\n",
     COMMAND, "a shard's folder told as the index to update"),
    ("roots-any-still-there", "qa/compat.py", "not all(isinstance(r, str) and os.path.exists(r) for r in roots)",
     "not any(isinstance(r, str) and os.path.exists(r) for r in roots)",
     COMMAND,
     "the recorded folders named although one of them is gone"),
    ("roots-as-given", "qa/indexer.py", "roots=json.dumps([os.path.abspath(root) for root in roots])",
     "roots=json.dumps([str(root) for root in roots])", COMMAND,
     "the folders recorded as given (relative to where `qa index` ran)"),
    # --- the model probe: qa.compat.check_probe
    ("probe-not-checked-on-open", "qa/retrieval.py",
     "        check_probe(meta, encoder, directory)  # what it gives", "        pass  # what it gives", PROBE,
     "a searcher does not compare what the model gives with the index's probe"),
    # --- lexical mode's shown-only reads (Retriever._lexical_with)
    ("lexical-pool-of-shown-only", "qa/retrieval.py",
     "wanted = [lx if weighs_pool(calibration, top, rows, q.lang) else shown_of(lx, top)",
     "wanted = [shown_of(lx, top)", LEXICAL,
     "the pool rule given the shown passages' dense scores only in lexical mode"),
    # --- chat: a question sent while the one before is on its way (qa/web.py, qa/web_assets.py)
    ("box-emptied-on-arrival", "qa/web.py", "\" return (q || '').trim() === sent ? '' : q; }\")",
     "\" return ''; }\")", HELD, "the question box emptied when the first question reaches the chat"),
    ("held-never-asked", "qa/web_assets.py", "    setTimeout(askQueued, 0);\n", "", HELD,
     "a question held for the reply before is never asked"),
]


def run(mutant: tuple[str, str, str, str, list[str], str], rev: str | None = None, timeout: float = 1200) -> dict:
    return mutants18.run(mutant, rev, timeout, out_dir=OUT, prefix="mut20")


if __name__ == "__main__":
    # mutants19's command line (ids, --jobs, --rev, --check, --table) over these mutants and results
    mutants19.MUTANTS, mutants19.OUT, mutants19.run = MUTANTS, OUT, run
    sys.exit(mutants19.main())
