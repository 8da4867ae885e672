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
    path = ROOT / "docs" / "reliability.md"
    # the sessions' sections written by hand below the mark stay as they are
    kept = path.read_text(encoding="utf-8").split(HAND_WRITTEN, 1)[1] if path.exists() and HAND_WRITTEN in \
        path.read_text(encoding="utf-8") else "\n"
    path.write_text(doc.rstrip() + "\n\n" + HAND_WRITTEN + kept, encoding="utf-8")
    print(json.dumps({"hostile": hostile, "questions": questions, "integrity": integrity,
                      "crash": {k: crash[k] for k in ("survived", "empty", "files_saved", "files_behind", "killed_mid_run")},
                      "crash_final": crash["final"], "load": load}, indent=1))


HAND_WRITTEN = "<!-- sessions: written by hand below this line; benchmarks/reliability.py keeps it -->"


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
"""


if __name__ == "__main__":
    main()
