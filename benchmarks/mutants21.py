"""Session 21's mutation audit ("checks that cannot fail", round 5): one plausible bug at a time in
what session 20 added that round 4 (`benchmarks/mutants20.py`) did not mutate, the tests that should
catch it run against it.

As `benchmarks/mutants20.py`: mutants18's tree copy and runner (`mutants18.run`, `run_chosen`),
mutants19's `--check` and `--table`. Each mutant replaces one exact text (found exactly once) in a
file of qa/ of a temporary copy of the tree, runs `python -m pytest -q -x` there with `CI=true` on
the tests named for it, records killed (a test failed), survived (all passed) or timeout, and
deletes the copy. The tree itself is never changed.

    PYTHONPATH=$PWD python benchmarks/mutants21.py --jobs 1 [ID ...]        # all, or the mutants named
    PYTHONPATH=$PWD python benchmarks/mutants21.py --jobs 1 --rev 237e499   # the suite as it was (this audit's start)
    PYTHONPATH=$PWD python benchmarks/mutants21.py --check                  # only whether every mutant applies
    PYTHONPATH=$PWD python benchmarks/mutants21.py --table                  # the last result of each, as a table
Results: benchmarks/out/mut21/results.jsonl (one line per run) and each run's output.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutants18  # noqa: E402
import mutants19  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mut21"

ADD = ["tests/test_integrity.py", "-k", "after_an_add or recorded_no_folders or added_roots"]
REMOVE = ["tests/test_integrity.py", "-k", "added_then_removed or roots_after_removal"]
REFRESH = ["tests/test_integrity.py", "-k", "re_tokenized_in_place"]
PROBE_STORED = ["tests/test_index.py", "-k", "without_a_probe"]
MOVED = ["tests/test_index.py", "-k", "found_elsewhere"]
# (the ids of the mutants run with these are short: the runner's temporary folder, named after the id, holds
# Ray's sockets, whose paths may not exceed 107 bytes; a longer id failed the cluster's start: a false kill)
# the Ray build's refusal (both of its cases: an index with a probe, one without) and the check's unit test
ACTORS = ["tests/test_cluster.py", "-k", "refuses_embedding_actors or actors_model_is_compared"]
SMALL_UNIT = ["tests/test_e5small.py", "-k", "small_folder_bars"]
SMALL = ["tests/test_e5small.py", "-k", "small_folder"]
UPKEEP = ["tests/test_web_everyday.py", "-k", "labelled_by_another_identifier and not browser"]
UPKEEP_BROWSER = ["tests/test_web_everyday.py", "-k", "older_identifier_is_told_once"]
CUT_UNIT = ["tests/test_web_everyday.py", "-k", "keeps_its_line_breaks"]
CUT_CLI = ["tests/test_cli.py", "-k", "searched_only_in_part"]
CUT_BROWSER = ["tests/test_web_everyday.py", "-k", "too_long_to_search_whole"]
REASONS = ["tests/test_web_languages.py", "-k", "refusals or same_placeholders"]
ARABIC_PAGE = ["tests/test_web_languages.py", "-k", "arabic_page_is_right_to_left and 1300 or server_gives_the_direction"]
LOCALE_PAGE = ["tests/test_web_languages.py", "-k", "russian_portuguese and it-IT"]
FOLLOWUP_UNIT = ["tests/test_followup_languages.py", "-k", "pronoun or lean or stand_alone or each_cue or chain_s"]
FOLLOWUP_SHARDED = ["tests/test_followup_languages.py", "-k", "sharded_index_reads"]

# (id, file, old text, new text, pytest arguments, what the mutation is)
MUTANTS: list[tuple[str, str, str, str, list[str], str]] = [
    # --- integrity round 9: the folders --add records (indexer.added_roots) and qa remove leaves (roots_after_removal)
    ("add-roots-not-recorded", "qa/indexer.py",
     "if add and (grown := added_roots(meta.get(\"roots\"), roots)) is not None:",
     "if False and (grown := added_roots(meta.get(\"roots\"), roots)) is not None:", ADD,
     "a --add's paths not added to the recorded folders"),
    ("add-path-inside-recorded-added", "qa/indexer.py",
     "        if any(_inside(path, root) for root in grown):\n            continue\n", "", ADD,
     "a path inside a recorded folder added to the record as a folder of its own"),
    ("add-inner-recorded-kept", "qa/indexer.py",
     "grown = [root for root in grown if not _inside(root, path)] + [path]", "grown = grown + [path]", ADD,
     "a recorded folder inside a path given stays in the record beside it"),
    ("inside-by-bare-prefix", "qa/indexer.py",
     "return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)", "return path.startswith(folder)",
     ADD + ["tests/test_integrity.py", "-k", "added_then_removed or roots_after_removal"],
     "a folder \"/x/rapports 2026\" taken for one inside \"/x/rapports\" (a bare prefix)"),
    ("add-recorded-alone-without-record", "qa/indexer.py",
     "    if not isinstance(roots, list) or not roots or not all(isinstance(r, str) for r in roots):\n"
     "        return None\n\n    grown",
     "    if roots is None:\n        roots = []\n    if not isinstance(roots, list) or not all(isinstance(r, str) "
     "for r in roots):\n        return None\n\n    grown", ADD,
     "an index that recorded no folders records the added paths alone"),
    ("removal-drops-folder-still-holding", "qa/indexer.py",
     "if not any(_inside(o, root) for o in removed) or any(_inside(o, root) for o in kept)]",
     "if not any(_inside(o, root) for o in removed)]", REMOVE,
     "a folder from which one file was removed leaves the record though it holds others"),
    ("removal-roots-not-written", "qa/indexer.py", "if roots and not exact else None", "if False else None", REMOVE,
     "qa remove leaves an emptied folder in the record"),
    # --- integrity round 9: a reader whose index another qa re-tokenized (Retriever._refresh, _Loaded.unusable)
    ("refresh-readable-unchecked", "qa/retrieval.py",
     "            check_readable(view.store.meta(), self.directory)\n        except StaleIndex",
     "            pass\n        except StaleIndex", REFRESH,
     "a refresh does not check the store is readable by this qa"),
    ("unusable-not-raised", "qa/retrieval.py",
     "        if view.unusable is not None:\n            raise StaleIndex(view.unusable)\n", "", REFRESH,
     "a view marked unusable searched all the same (one index)"),
    ("sharded-unusable-not-raised", "qa/sharded.py",
     "if unusable := next((v.unusable for v in views if v.unusable is not None), None):",
     "if unusable := None:", REFRESH, "a shard's view marked unusable searched all the same"),
    ("unusable-generation-not-kept", "qa/retrieval.py",
     "self._view = replace(view, generation=generation, unusable=unusable)",
     "self._view = replace(view, unusable=unusable)", REFRESH,
     "the unusable view keeps its old generation (every refresh reports a change)"),
    # --- integrity round 9: an index without a probe checked by a stored passage (check_probe's `stored`)
    ("stored-never-read", "qa/compat.py", "sample = stored() if stored is not None else None", "sample = None",
     PROBE_STORED, "an index without a probe checks nothing"),
    ("reader-without-stored", "qa/retrieval.py",
     "check_probe(meta, encoder, directory, lambda: store.first_passage(encoder.dimension))",
     "check_probe(meta, encoder, directory)", PROBE_STORED,
     "a searcher opening an index without a probe checks nothing"),
    ("writer-without-stored", "qa/indexer.py",
     "check_probe(self._meta, encoder, self._index or Path(self.name), self._stored)",
     "check_probe(self._meta, encoder, self._index or Path(self.name))", PROBE_STORED,
     "qa index on an index without a probe adds the changed model's vectors and records its probe"),
    ("stored-passage-without-spans", "qa/store.py",
     "return row[1], [(int(s), int(e)) for s, e in spans], np.frombuffer(row[2]",
     "return row[1], [], np.frombuffer(row[2]", PROBE_STORED,
     "the stored passage embedded again without its sentences' spans"),
    ("checked-by-default", "qa/compat.py", "if getattr(encoder, \"checked\", False):",
     "if getattr(encoder, \"checked\", True):",
     PROBE_STORED + ["tests/test_index.py", "-k", "middle_of_a_file"],
     "every encoder taken for one checked elsewhere (a Ray writer's): nothing compared"),
    ("refusal-command-old-place", "qa/compat.py", "model = () if default else (\"--model\", shlex.quote(loaded))",
     "model = () if default else (\"--model\", shlex.quote(built))", MOVED,
     "the refusal's command names the model's old place (gone)"),
    ("refusal-names-built-only", "qa/compat.py",
     "named = built if loaded == built else f\"{loaded} (given for {built})\"", "named = built", MOVED,
     "the refusal names the index's model, not the one given for it"),
    # --- qa/cluster: the actors' model checked by the driver (check_actors_model, shard_records)
    ("ray-actors-pair", "qa/cluster/index.py", "for given in checks[1:]:",
     "for given in checks[1:1]:", ACTORS,
     "two actors whose models differ (two nodes) not compared with each other"),
    ("ray-no-shard", "qa/cluster/index.py",
     "            if \"model\" not in meta:\n                continue",
     "            if \"model\" in meta:\n                continue", ACTORS,
     "the actors' model compared with no shard that records one"),
    ("ray-no-sample", "qa/cluster/index.py",
     "                sample = store.first_passage(int(meta[\"dimension\"]))", "                pass",
     ACTORS, "a shard without a probe gives no stored passage: the actors' model unchecked"),
    # --- e5-small's small-folder bars (encoder.SmallFolderBars, retrieval.make_passages)
    ("small-bars-below-fifty", "qa/encoder.py", "passages <= self.small.passages", "passages < self.small.passages",
     SMALL_UNIT, "a folder of exactly 50 passages given the large-pool bars"),
    ("small-bars-ignored", "qa/retrieval.py", "small = calibration.small_bars(passages)", "small = None", SMALL,
     "the small-folder bars never used"),
    ("small-bars-swapped", "qa/encoder.py", "return self.weak_score if same_language else self.weak_score_cross",
     "return self.weak_score_cross if same_language else self.weak_score", SMALL,
     "the small-folder bars of the question's language and across swapped"),
    ("small-bar-same-language-always", "qa/retrieval.py", "small.bar(row[\"lang\"] == qlang)", "small.bar(True)",
     SMALL, "every passage of a small folder weighed with the same-language bar"),
    ("small-lexical-frees", "qa/encoder.py", "lexical_frees=False))", "lexical_frees=True))", SMALL,
     "in a small folder a hit's lexical evidence frees it"),
    ("small-translated-frees", "qa/retrieval.py",
     "lexical_evidence(translated.get(i, 0.0), passages) if lexical_frees else 0.0,",
     "lexical_evidence(translated.get(i, 0.0), passages),", SMALL,
     "in a small folder a hit's translated words free it"),
    # --- the chat's older-identifier notice (ChatApp.relabel_needed, upkeep_html)
    ("upkeep-every-reply", "qa/web_app.py", "        if first:\n            body = self.upkeep_html(lang) + body",
     "        if True:\n            body = self.upkeep_html(lang) + body", UPKEEP,
     "the notice in every reply, not the conversation's first"),
    ("relabel-first-store-only", "qa/web_app.py",
     "any(languages_outdated(store.meta()) for store in self._stores())",
     "any(languages_outdated(store.meta()) for store in self._stores()[:1])", UPKEEP,
     "only the first shard's record read"),
    ("restored-conversation-without-notice", "qa/web_app.py", "first=not turns)", "first=False)", UPKEEP,
     "a reloaded tab's conversation (its first reply drawn again) does not say it"),
    ("upkeep-in-every-asked-reply", "qa/web.py", "first=pending_[\"n\"] == 1)", "first=True)", UPKEEP_BROWSER,
     "the page's every reply says it (the question's number not read)"),
    # --- long pasted questions (retrieval.searched_part, cli._note_cut, the chat's link)
    ("searched-part-spaces-uncounted", "qa/retrieval.py", "        count += 1 + space\n", "        count += 1\n",
     CUT_UNIT, "the collapsed spaces not counted: the part searched cut too late"),
    ("searched-part-leading-space-counted", "qa/retrieval.py", "space = count > 0", "space = True", CUT_UNIT,
     "leading spaces counted (clean_question strips them)"),
    ("searched-part-controls-counted", "qa/retrieval.py",
     "if ch.isspace() or (unicodedata.category(ch)[0] == \"C\" and ch not in \"\\n\\t\"):", "if ch.isspace():",
     CUT_UNIT, "control and format characters counted as letters (clean_question makes them spaces)"),
    ("note-cut-raw-length", "qa/cli.py", "length = len(\" \".join(question.split()))\n    if length",
     "length = len(question)\n    if length", CUT_CLI,
     "qa ask's note counts the spaces clean_question collapses (a question long by its spaces alone noted)"),
    ("note-cut-at-the-limit", "qa/cli.py", "    if length > MAX_QUESTION_CHARS:\n        print(f\"qa: note",
     "    if length >= MAX_QUESTION_CHARS:\n        print(f\"qa: note", CUT_CLI,
     "a question of exactly MAX_QUESTION_CHARS characters noted as cut"),
    ("note-cut-not-at-a-terminal", "qa/cli.py", "                asked.append(question)\n                _note_cut(question)\n",
     "                asked.append(question)\n", CUT_CLI + ["tests/test_cli.py", "-k", "one_question_after_another"],
     "qa ask at a terminal says nothing of a question cut"),
    ("chat-link-whole-question", "qa/web_app.py", "link = share_query(searched, k, where)",
     "link = share_query(question, k, where)", CUT_BROWSER,
     "the chat's link asks the whole pasted text (an address the server refuses)"),
    # --- the chat page's locales and translated refusals (qa/web_reasons.py, qa/web_i18n*.py, the page's script)
    ("reason-prefix-match", "qa/web_reasons.py", "found = pattern.fullmatch(why.strip())",
     "found = pattern.match(why.strip())", REASONS,
     "a reason matched by its start (\"no text in .pptx\" told as \"no text\")"),
    ("reason-arabic-detail-lost", "qa/web_i18n_more.py", "\"reason_not_valid\": \"ليس ملف {kind} صالحًا ({detail})\"",
     "\"reason_not_valid\": \"ليس ملف {kind} صالحًا\"", REASONS,
     "the Arabic words of a file not valid drop the reader's detail"),
    ("conversation-without-direction", "qa/render.py", "+ (f' data-lang=\"{lang}\" dir=\"{direction(lang)}\"' if lang else \"\"))",
     "+ (f' data-lang=\"{lang}\"' if lang else \"\"))", ARABIC_PAGE,
     "the conversation's replies without the page language's direction"),
    ("gradio-locale-never-told", "qa/web_assets.py", "    if (localeTold === lang) return;\n",
     "    return;\n", LOCALE_PAGE, "Gradio's labels never told the server's language"),
    # --- follow-ups: the topic document in a sharded index, a person's pronoun after "who"
    ("sharded-topic-never-passed", "qa/sharded.py",
     "batch = [Query.of(q, mode, p, languages, (topics or {}).get(p) if p else None)",
     "batch = [Query.of(q, mode, p, languages, None)", FOLLOWUP_SHARDED,
     "a sharded index finds the earlier question's topic document but does not read with it"),
    ("who-without-chinese", "qa/followup.py", "谁 誰 من", "誰 من", FOLLOWUP_UNIT,
     "Chinese \"who\" (谁) not taken for a question that asks who"),
]



def run(mutant: tuple[str, str, str, str, list[str], str], rev: str | None = None, timeout: float = 1200) -> dict:
    return mutants18.run(mutant, rev, timeout, out_dir=OUT, prefix="mut21")


if __name__ == "__main__":
    # mutants19's command line (ids, --jobs, --rev, --check, --table) over these mutants and results
    mutants19.MUTANTS, mutants19.OUT, mutants19.run = MUTANTS, OUT, run
    sys.exit(mutants19.main())
