"""Session 22's mutation audit ("checks that cannot fail", round 6): one plausible bug at a time in
what session 21 added or changed (`git diff 237e499..e098324 -- qa/`), the tests that should catch it
run against it.

As `benchmarks/mutants21.py`: mutants18's tree copy and runner (`mutants18.run`, `run_chosen`),
mutants19's `--check` and `--table`. Each mutant replaces one exact text (found exactly once) in a
file of qa/ of a temporary copy of the tree, runs `python -m pytest -q -x` there with `CI=true` on
the tests named for it, records killed (a test failed), survived (all passed) or timeout, and
deletes the copy. The tree itself is never changed. The ids of mutants run with Ray are at most 20
characters: the runner's temporary folder, named after the id, holds Ray's sockets, whose paths may
not exceed 107 bytes (round 5's false kill).

    PYTHONPATH=$PWD python benchmarks/mutants22.py --jobs 1 [ID ...]        # all, or the mutants named
    PYTHONPATH=$PWD python benchmarks/mutants22.py --jobs 1 --rev e098324   # the suite as it was (this audit's start)
    PYTHONPATH=$PWD python benchmarks/mutants22.py --check                  # only whether every mutant applies
    PYTHONPATH=$PWD python benchmarks/mutants22.py --table                  # the last result of each, as a table
Results: benchmarks/out/mut22/results.jsonl (one line per run) and each run's output.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutants18  # noqa: E402
import mutants19  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mut22"

FULL_STOPS = ["tests/test_readers.py", "-k", "scripts_full_stop or seed_heading or any_scripts_own"]
GLUED = ["tests/test_followup_languages.py", "-k",
         "glued and not finds_the_passage or not_cut or pronoun or read_as_the_pronoun"]
LOOK_ALIKES = ["tests/test_tokens.py", "-k", "look_alike"]
LANGID = ["tests/test_langid_cache.py"]
COLLECTOR = ["tests/test_cli.py", "-k", "collect_what_opening or one_question_after_another or left_as_it_was_found"]
# (a unit test first, in a run of its own: a killed mutant is not kept waiting for the browser's)
FOLDERS = ["tests/test_web_routine.py", "-k", "folders_offered",
           "tests/test_web_routine.py", "-k", "narrowing_to_one_clients"]
UPLOAD_REASON = ["tests/test_web_routine.py", "-k", "more_readers_refusals or refusal_of_an_upload",
                 "tests/test_web_routine.py", "-k", "refused_on_a_french_page"]
CUT_API = ["tests/test_web_everyday.py", "-k", "keeps_its_line_breaks or cut_without_a_server",
           "tests/test_web_routine.py", "-k", "too_long_to_search_whole"]
GONE = ["tests/test_web_gone_folder.py", "-k", "not browser", "tests/test_web_gone_folder.py", "-k", "browser"]
MBOX = ["tests/test_formats_hostile.py", "-k", "mbox_bytes_are_cut or parsed_from_the_bytes",
        "tests/test_formats_hostile.py", "-k", "mbox_of_ten_thousand", "tests/test_formats.py", "-k", "mbox"]
OCR_ENGINE = ["tests/test_ocr.py", "-k", "only_the_tesseract_version or same_size_replaced",
              "tests/test_ocr.py", "-k", "another_tesseract or language_data_changed"]
OCR_LIST = ["tests/test_ocr.py", "-k", "without_importing_pandas or scanned_pdf_and_photo"]
MAPPED = ["tests/test_vectors.py", "-k", "given_back", "tests/test_retrieval.py", "-k", "mapped_pages"]
WRITER = ["tests/test_cluster.py", "-k", "writer_checks_the_model"]
RAY_MODEL = ["tests/test_cluster.py", "-k", "without_model_uses"]
REPLICA = ["tests/test_cluster.py", "-k", "re_tokenized_in_place"]
HEADINGS_UNIT = ["tests/test_web_headings.py", "-k", "not browser"]
HEADINGS = HEADINGS_UNIT + ["tests/test_web_headings.py", "-k", "browser"]
IW = ["tests/test_web_languages.py", "-k", "old_language_tags", "tests/test_web_languages.py", "-k", "sending_iw"]

# (id, file, old text, new text, pytest arguments, what the mutation is)
MUTANTS: list[tuple[str, str, str, str, list[str], str]] = [
    # --- a paragraph ending with its script's own full stop is no guessed heading (qa/readers/text.py)
    ("stop-no-khmer", "qa/readers/text.py", "።፧፡፣፤။၊។៕།]$", "።፧፡፣፤။၊៕།]$", FULL_STOPS,
     "Khmer's full stop ។ not ending a sentence"),
    ("stop-no-danda", "qa/readers/text.py", "：।॥۔", "：॥۔", FULL_STOPS,
     "Devanagari's danda । not ending a sentence"),
    ("stop-no-tibetan", "qa/readers/text.py", "។៕།]$", "។៕]$", FULL_STOPS,
     "Tibetan's shad (།) not ending a sentence"),
    ("stop-no-arabic-comma", "qa/readers/text.py", "۔؟،؛։", "۔؟؛։", FULL_STOPS,
     "a short line ending with the Arabic comma ، taken for a heading"),
    # --- Chinese pronouns ICU glues to the next word (qa/followup.py `_unglued`)
    ("glued-two-chars-kept", "qa/followup.py", "if len(word) > 1 and word not in _CUE_WORDS",
     "if len(word) > 2 and word not in _CUE_WORDS", GLUED, "a glued word of two characters (她在) not cut"),
    ("glued-cue-word-cut", "qa/followup.py", "if len(word) > 1 and word not in _CUE_WORDS and",
     "if len(word) > 1 and", GLUED, "a cue word that is a cue word and a glued one cut in two (the guard dropped)"),
    ("glued-who-unseen", "qa/followup.py", "for w in lists[\"zh\"].split()) | {\"谁\"}",
     "for w in lists[\"zh\"].split())", GLUED, "谁 glued to the next word (谁是) not cut"),
    ("glued-any-after", "qa/followup.py", "and word[-1] in _GLUED_AFTER and", "and", GLUED,
     "a pronoun followed by any character cut off (他人 read as 他 and 人)"),
    ("glued-second-lost", "qa/followup.py", "out += [word[:-1], word[-1]]", "out += [word[:-1]]", GLUED,
     "the word glued after the pronoun dropped"),
    # --- Cyrillic words typed with Latin look-alikes (qa/language.py `fold`)
    ("lookalike-no-i", "qa/language.py", "str.maketrans(\"aceiopxyï\", \"асеіорхуї\")",
     "str.maketrans(\"aceopxyï\", \"асеорхуї\")", LOOK_ALIKES, "the Latin i not written as Ukrainian і"),
    ("lookalike-all-latin", "qa/language.py",
     "return word if _OTHER_LATIN.search(word.replace(\"ï\", \"\")) else word.translate(_LOOK_ALIKES)",
     "return word.translate(_LOOK_ALIKES)", LOOK_ALIKES,
     "a word with other Latin letters (fiмережа) written in Cyrillic all the same"),
    ("lookalike-i-umlaut-other", "qa/language.py", "_OTHER_LATIN.search(word.replace(\"ï\", \"\"))",
     "_OTHER_LATIN.search(word)", LOOK_ALIKES, "the Latin ï counted as a letter without a look-alike"),
    ("lookalike-accents-kept", "qa/language.py", "_OTHER_LATIN = re.compile(\"[bdf-hj-nq-wzß-ÿ]\")",
     "_OTHER_LATIN = re.compile(\"[bdf-hj-nq-wz]\")", LOOK_ALIKES,
     "a word with accented Latin letters (é) beside Cyrillic ones written in Cyrillic"),
    # --- the identifier's walk tables as arrays (qa/langid_cache.py)
    ("langid-not-compact", "qa/langid_cache.py",
     "return _compact(LanguageIdentifier(ptc, pc, meta[\"classes\"], nextmove, output, tk_row=row))",
     "return LanguageIdentifier(ptc, pc, meta[\"classes\"], nextmove, output, tk_row=row)", LANGID,
     "the read-back identifier's row offsets left a list"),
    ("langid-output-list", "qa/langid_cache.py",
     "output = array(\"q\", np.load(folder / \"output.npy\", allow_pickle=False).astype(np.int64).tobytes())",
     "output = np.load(folder / \"output.npy\", allow_pickle=False).tolist()", LANGID,
     "the output features left a list of ints"),
    # --- the collector paused while a reader opens, then frozen (qa/collector.py, qa/cli.py)
    ("gc-not-frozen", "qa/collector.py", "        gc.freeze()\n", "", COLLECTOR,
     "what opening made not frozen"),
    ("gc-left-disabled", "qa/collector.py", "        if enabled:\n            gc.enable()\n", "", COLLECTOR,
     "the collector left off after the block"),
    ("gc-terminal-unpaused", "qa/cli.py", "pool.submit(_open_collector_paused, args.index, args.model)",
     "pool.submit(Retriever.open, args.index, model=args.model)", COLLECTOR,
     "qa ask at a terminal opens with the collector running"),
    # --- the folder filter's subfolders (qa/filters.py)
    ("tree-deepest-missing", "qa/filters.py", "for depth in range(2, len(parts)):",
     "for depth in range(2, len(parts) - 1):", FOLDERS, "the deepest folder of a file not offered"),
    ("tree-deepest-first", "qa/filters.py", "key=lambda item: (item[1], item[0])",
     "key=lambda item: (-item[1], item[0])", FOLDERS, "past the cap the deepest folders kept"),
    ("tree-merge-tops-only", "qa/filters.py", "for f in p.get(\"folder_tree\", p[\"folders\"])}",
     "for f in p[\"folders\"]}", FOLDERS, "shards' subfolders lost when merged"),
    ("tree-no-top", "qa/filters.py", "        tree.setdefault(top, 0)\n", "", FOLDERS,
     "top-level files and folders without a subfolder not offered"),
    # --- an upload refused with the reader's reason (qa/web_uploads.py)
    ("refusal-no-text", "qa/web_uploads.py", "if source else refusal(report.skipped, path.name)",
     "if source else None", UPLOAD_REASON, "every refused upload told 'no text'"),
    ("refusal-exact-name", "qa/web_uploads.py", "source == name or source.endswith(\"/\" + name)",
     "source == name", UPLOAD_REASON, "the refusal found only for a file at the build's top"),
    ("refusal-bare-suffix", "qa/web_uploads.py", "source.endswith(\"/\" + name)", "source.endswith(name)",
     UPLOAD_REASON, "another file whose name ends as the upload's (old-report.docx) gives its reason"),
    # --- question_cut in the API (qa/web_app.py)
    ("cut-ask-missing", "qa/web_app.py",
     "return [{**p, \"question_cut\": cut} for p in passages] if cut else passages", "return passages",
     CUT_API, "/ask's passages do not say the question was cut"),
    ("cut-answer-null", "qa/web_app.py", "\"question_cut\": question_cut(question)}", "\"question_cut\": None}",
     CUT_API, "/answer's question_cut always null"),
    ("cut-length-raw", "qa/retrieval.py",
     "visible = \"\".join(\" \" if unicodedata.category(ch)[0] == \"C\" else ch for ch in question)",
     "visible = question", CUT_API,
     "the cut question's length counts control characters clean_question makes spaces"),
    # --- a link to a folder that left the index (qa/web.py, qa/web_app.py `link_folders`)
    ("gone-folder-dropped", "qa/web.py", "if link[\"q\"] and searched != folders_:",
     "if False and searched != folders_:", GONE, "a link's gone folder dropped: asked over every document"),
    ("gone-restore-dropped", "qa/web_app.py",
     "where = {\"folders\": link_folders(link_of[\"folders\"], offered[\"folder_tree\"]),",
     "where = {\"folders\": known_folders(link_of[\"folders\"], offered[\"folder_tree\"]),", GONE,
     "a reloaded conversation's gone folder dropped"),
    ("gone-blank-kept", "qa/web_app.py", "for f in requested if f.strip() and f.rstrip(\"/\") not in known]",
     "for f in requested if f.rstrip(\"/\") not in known]", GONE + ["tests/test_web.py", "-k", "link"],
     "an empty in= of a link searched as a folder"),
    # --- an mbox parsed from the bytes hashed (qa/readers/mail.py)
    ("mbox-blank-kept", "qa/readers/mail.py", "            stop -= 1  #", "            pass  #", MBOX,
     "the blank line before the next From line kept in the message"),
    ("mbox-first-from-only", "qa/readers/mail.py", "_FROM_LINE = re.compile(rb\"^From \", re.MULTILINE)",
     "_FROM_LINE = re.compile(rb\"^From \")", MBOX, "a mailbox read as its first message"),
    ("mbox-from-in-line", "qa/readers/mail.py", "_FROM_LINE = re.compile(rb\"^From \", re.MULTILINE)",
     "_FROM_LINE = re.compile(rb\"From \", re.MULTILINE)", MBOX, "a From inside a line starts a message"),
    ("mbox-read-path", "qa/readers/__init__.py", "return read_mbox(raw, path.name,",
     "return read_mbox(path.read_bytes(), path.name,", MBOX, "the mbox read again from its path"),
    # --- OCR: the engine and its language data (qa/readers/ocr.py, qa/indexer.py)
    ("ocr-old-record-strict", "qa/readers/ocr.py", "return recorded == engine.split(DATA_MARK)[0]",
     "return recorded == engine", OCR_ENGINE, "an index recording the version alone has every scan read again"),
    ("ocr-fp-size-only", "qa/readers/ocr.py", "seen.append(f\"{lang}:{st.st_size}:{st.st_mtime_ns}\")",
     "seen.append(f\"{lang}:{st.st_size}\")", OCR_ENGINE, "language data of the same size taken for the same"),
    ("ocr-cache-no-engine", "qa/readers/ocr.py", "f\"{key}-t{engine}-{lang}.txt\"", "f\"{key}-{lang}.txt\"",
     OCR_ENGINE, "the OCR cache's names without the engine"),
    ("ocr-engine-not-saved", "qa/indexer.py", "            or (ocr_engine and meta.get(\"ocr_engine\") != ocr_engine)) and",
     "            ) and", OCR_ENGINE, "a new engine not recorded when nothing else is stale"),
    ("ocr-langs-no-underscore", "qa/readers/ocr.py", "_LANGUAGE_LINE = re.compile(\"^[a-z_]+$\")",
     "_LANGUAGE_LINE = re.compile(\"^[a-z]+$\")", OCR_LIST, "chi_sim's data not listed"),
    # --- FAISS's mapped IVF pages given back (qa/mapped.py, qa/vectors.py)
    ("faiss-not-remembered", "qa/vectors.py", "            remember_file(index, directory / FAISS_NAME)\n",
     "            pass\n", MAPPED, "the mapped IVF index's pages never given back"),
    ("faiss-files-skipped", "qa/mapped.py", "    if files:\n        _release_files(files)\n", "", MAPPED,
     "release drops the model tables' pages only"),
    ("faiss-path-unresolved", "qa/mapped.py", "_files.setdefault(str(Path(path).resolve()), weakref.WeakSet())",
     "_files.setdefault(str(path), weakref.WeakSet())", MAPPED,
     "a path given through a link or relative not found among the maps"),
    # --- Ray: the shard writer's model check, --ray's model from the shards, a replica's refusal
    ("ray-writer-unchecked", "qa/cluster/index.py", "                self._check(self._real)\n",
     "                pass\n", WRITER, "a writer's own model unchecked"),
    ("ray-writer-no-actors", "qa/cluster/index.py",
     "        if \"model_probe\" not in meta and probe is not None:\n            meta[\"model_probe\"] = probe_record(probe)\n",
     "", WRITER, "a shard without a probe: the actors' probe not used, nothing compared"),
    ("ray-model-manifest", "qa/cluster/index.py",
     "model_name = canonical_model_name(model) if model else next(\n"
     "            (meta[\"model\"] for _, meta, _ in records if \"model\" in meta), manifest.model or DEFAULT_MODEL)",
     "model_name = canonical_model_name(model) if model else (manifest.model or DEFAULT_MODEL)", RAY_MODEL,
     "qa index --ray without --model takes shards.json's model (a moved folder's old place)"),
    ("ray-replica-stale", "qa/cluster/serve.py",
     "        if view.unusable is not None:\n            raise StaleIndex(view.unusable)\n        return view",
     "        return view", REPLICA, "a replica answers from a shard re-tokenized in place"),
    ("ray-refused-warned", "qa/cluster/serve.py", "    if isinstance(exc, StaleIndex):\n        cause",
     "    if False:\n        cause", REPLICA, "a replica's refusal taken for a shard gone (a partial answer)"),
    # --- Markdown heading marks hidden (qa/render.py)
    ("md-marks-in-txt", "qa/render.py",
     "    if not source.lower().endswith(MARKDOWN_SUFFIXES):\n        return []\n", "", HEADINGS_UNIT,
     "a plain text file's '#' lines taken for headings"),
    ("md-no-space-needed", "qa/render.py", "_MD_HEADING = re.compile(r\"^(#{1,6})[ \\t]+(?=\\S)\", re.M)",
     "_MD_HEADING = re.compile(r\"^(#{1,6})[ \\t]*(?=\\S)\", re.M)", HEADINGS_UNIT,
     "'#1 on the list' in a Markdown file taken for a heading"),
    ("md-copied-marks", "qa/render.py", "return f\"{citation(hit)}\\n“{plain_passage(hit.text, hit.source)}”\"",
     "return f\"{citation(hit)}\\n“{hit.text}”\"", HEADINGS, "the copied citation keeps the heading's marks"),
    ("md-compact-marks", "qa/render.py", "escape_text(plain_passage(hit.text, hit.source)[:200]))",
     "escape_text(hit.text[:200]))", HEADINGS, "a compact passage without an answer shows the marks"),
    ("md-panel-marks", "qa/render.py", "inner = passage_html(body, doc[\"source\"],",
     "inner = passage_html(body, \"\",", HEADINGS, "the document panel shows the marks"),
    # --- Hebrew sent as iw; a right-to-left panel's margins (qa/web_i18n.py, qa/web_assets.py, qa/render.py)
    ("iw-server", "qa/web_i18n.py", "ranked.append((-q, n, OLD_TAGS.get(lang, lang)))",
     "ranked.append((-q, n, lang))", IW, "the server gives iw the English page"),
    ("iw-script", "qa/web_assets.py", ".map((lang) => OLD_TAGS[lang] || lang).find(", ".find(", IW,
     "the page's script reads iw as no language"),
    ("margin-not-ltr", "qa/render.py", "f'<span class=\"qa-pn\" dir=\"ltr\"{said}>{margin}</span>'",
     "f'<span class=\"qa-pn\"{said}>{margin}</span>'", IW, "a right-to-left panel's margins read 1§"),
]


def run(mutant: tuple[str, str, str, str, list[str], str], rev: str | None = None, timeout: float = 1200) -> dict:
    return mutants18.run(mutant, rev, timeout, out_dir=OUT, prefix="mut22")


if __name__ == "__main__":
    # mutants19's command line (ids, --jobs, --rev, --check, --table) over these mutants and results
    mutants19.MUTANTS, mutants19.OUT, mutants19.run = MUTANTS, OUT, run
    sys.exit(mutants19.main())
