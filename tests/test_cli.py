"""The `qa` command line, run as a user runs it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from qa import Retriever
from qa.layout import current_data
from conftest import ROOT, SEED_NAME, ask_at_terminal

QA = [sys.executable, "-m", "qa"]


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([*QA, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def test_ask_json_equals_retriever(seed_index):
    q = "Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?"
    result = run("ask", q, "--json", "--index", str(seed_index), "-k", "3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == [h.to_dict() for h in Retriever.open(seed_index).search(q, k=3)]
    assert data[0]["source"] == SEED_NAME
    assert set(data[0]) >= {"rank", "score", "text", "source", "paragraph", "start", "end", "page",
                            "title", "date", "answer"}


def test_ask_questions_file_gives_one_json_line_per_question(seed_index, tmp_path):
    questions = ["Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?",
                 "Who filed most generative AI patents?", "中国总理呼吁什么？", "brevets"]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(questions[:2]) + "\n\n" + "\n".join(questions[2:]) + "\n", encoding="utf-8")
    result = run("ask", "--questions-file", str(path), "--json", "--index", str(seed_index), "-k", "3")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    retriever = Retriever.open(seed_index)
    assert [line["question"] for line in lines] == questions
    for line, q in zip(lines, questions):
        expected = [h.to_dict() for h in retriever.search(q, k=3)]
        for got, want in zip(line["passages"], expected):
            assert abs(got.pop("score") - want.pop("score")) <= 2e-4
        assert line["passages"] == expected
    human = run("ask", "--questions-file", str(path), "--index", str(seed_index), "-k", "1")
    assert human.returncode == 0 and human.stdout.count("## ") == 4 and f"[1] {SEED_NAME}" in human.stdout


def test_ask_human_output(seed_index):
    result = run("ask", "Who filed most generative AI patents?", "--index", str(seed_index), "-k", "2")
    assert result.returncode == 0
    assert f"[1] {SEED_NAME} §2" in result.stdout and "**" in result.stdout


def test_ask_says_when_a_pasted_question_was_searched_only_in_part(seed_index, tmp_path):
    """A question longer than the search takes (a pasted text) is searched by its start: `qa ask`
    says so on stderr, the answers on stdout stay the same JSON; a question of ordinary length has no note."""
    from qa.retrieval import MAX_QUESTION_CHARS

    question = "Who filed most generative AI patents? " + "The report was long and detailed. " * 80
    assert len(" ".join(question.split())) > MAX_QUESTION_CHARS
    result = run("ask", question, "--json", "--index", str(seed_index), "-k", "2")
    assert result.returncode == 0, result.stderr
    length = len(" ".join(question.split()))
    assert f"the question is {length} characters long: only its first {MAX_QUESTION_CHARS} were searched" \
        in result.stderr
    assert json.loads(result.stdout) == [h.to_dict() for h in Retriever.open(seed_index).search(question, k=2)]
    path = tmp_path / "questions.txt"
    path.write_text("Who filed most generative AI patents?\n" + question + "\n", encoding="utf-8")
    # (mutants21) long by its spaces alone, or exactly as long as is searched: searched whole, no note
    spaced = "Who filed most" + " " * 2500 + "generative AI patents?"
    exact = ("patent " * 300)[:MAX_QUESTION_CHARS]
    assert len(exact) == MAX_QUESTION_CHARS and exact == exact.strip()
    path.write_text("\n".join(["Who filed most generative AI patents?", question, spaced, exact]) + "\n",
                    encoding="utf-8")
    several = run("ask", "--questions-file", str(path), "--json", "--index", str(seed_index), "-k", "1")
    assert several.returncode == 0 and several.stderr.count("were searched") == 1, several.stderr
    short = run("ask", "Who filed most generative AI patents?", "--index", str(seed_index), "-k", "1")
    assert short.returncode == 0 and "searched" not in short.stderr


def test_ask_on_a_terminal_answers_one_question_after_another(seed_index):
    """`qa ask` with no question, at a terminal (a real pseudo-terminal): each line typed is
    answered as `Retriever.search` answers it, an empty line ends; without a terminal it is
    an error that says what to give."""
    # the third pasted (too long to search whole: said on stderr, as for a question given; mutants21)
    questions = ["Who filed most generative AI patents?", "中国总理呼吁什么？",
                 ("Who filed most generative AI patents? " + "The report was long. " * 100).rstrip()]
    returncode, out, err = ask_at_terminal(["--json", "-k", "2", "--index", str(seed_index)], questions + [""])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    assert returncode == 0, err
    assert err.count("were searched") == 1, err
    lines = [json.loads(line) for line in out.splitlines()]
    retriever = Retriever.open(seed_index)
    assert [line["question"] for line in lines] == questions
    for line, q in zip(lines, questions):
        expected = [h.to_dict() for h in retriever.search(q, k=2)]
        assert [(p["doc_id"], p["paragraph"], p["answer"]) for p in line["passages"]] == \
            [(p["doc_id"], p["paragraph"], p["answer"]) for p in expected]
    piped = subprocess.run([*QA, "ask", "--index", str(seed_index)], cwd=ROOT, env=env, input="brevets\n",
                           capture_output=True, text=True, timeout=600)
    assert piped.returncode == 1 and "--questions-file" in piped.stderr and len(piped.stderr.splitlines()) == 1


def test_ask_builds_index_from_seeds_first(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    result = run("ask", "brevets", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "indexing seeds/" in result.stderr
    assert json.loads(result.stdout)[0]["source"] == SEED_NAME
    assert (current_data(tmp_path / "index") / "passages.sqlite").exists()


def test_ask_never_indexes_the_seeds_into_an_index_that_lost_its_store(tmp_path, seed_index):
    """An index whose store file was deleted by hand (its folder, pointer and vectors left), asked
    from a folder with `seeds/`: the seeds were indexed into it and answered as if they were the
    user's documents. Now: the one-line error naming `qa index`, the index left as it was."""
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    (current_data(index) / "passages.sqlite").unlink()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "other.md").write_text("# Other\n\nThe moon is made of cheese.\n", encoding="utf-8")
    result = run("ask", "brevets", "--index", str(index), cwd=tmp_path)
    assert result.returncode == 1 and "cheese" not in result.stdout, result.stdout
    assert result.stderr == f"qa: error: no index at {index}: build one with `qa index PATH --index {index}`\n"
    assert not (current_data(index) / "passages.sqlite").exists()


def test_index_reports_counts(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "seeds", docs)
    (docs / "notes.xyz").write_text("?")
    (docs / "kiwis.md").write_text("Les kiwis de Nouvelle-Zélande arrivent en avril.", encoding="utf-8")
    result = run("index", str(docs), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout and "skipped notes.xyz: unsupported format .xyz" in result.stdout
    again = run("index", str(docs), "--index", str(tmp_path / "ix"), "--json")
    report = json.loads(again.stdout)
    assert report["unchanged"] == 2 and report["passages_embedded"] == 0
    # a file gone: --json prints the report alone (the note on --add is for people), still JSON
    (docs / "kiwis.md").unlink()
    gone = run("index", str(docs), "--index", str(tmp_path / "ix"), "--json")
    assert gone.returncode == 0, gone.stderr
    assert json.loads(gone.stdout)["removed_files"] == [["kiwis.md", "no longer in the indexed folders"]]


def test_errors_are_one_line(tmp_path, seed_index):
    cases = [
        ("index", str(tmp_path / "missing")),
        ("ask", "   ", "--index", str(seed_index)),
        ("ask", "brevets", "-k", "0", "--index", str(seed_index)),
        ("ask", "brevets", "--index", str(seed_index), "--model", "other-model"),
        ("ask", "--index", str(seed_index)),
        ("ask", "brevets", "--questions-file", str(tmp_path / "missing.txt"), "--index", str(seed_index)),
        ("ask", "--questions-file", str(tmp_path / "missing.txt"), "--index", str(seed_index)),
    ]
    for args in cases:
        result = run(*args, cwd=tmp_path)
        assert result.returncode != 0, args
        assert result.stderr.startswith("qa: error: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_unreadable_index_is_an_error(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "passages.sqlite").write_bytes(b"this is not sqlite" * 100)
    result = run("ask", "brevets", "--index", str(index), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "rebuild" in result.stderr


# What `qa ask`'s process imports, printed by the process itself after answering.
_MODULES_AFTER_ASK = ("import json, sys\nfrom qa.cli import main\nrc = main(sys.argv[1:])\n"
                      "print('MODULES', json.dumps(sorted(sys.modules)))\nsys.exit(rc)")


def test_ask_imports_only_what_answering_needs(seed_index):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("QA_USE_BACKEND", None)
    result = subprocess.run([sys.executable, "-c", _MODULES_AFTER_ASK, "ask", "Who filed most generative AI patents?",
                             "--json", "--index", str(seed_index)], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("MODULES "))
    loaded = set(json.loads(line[len("MODULES "):]))
    modules = {m.partition(".")[0] for m in loaded}
    # the default model went through sentence-transformers (and PyTorch)
    assert {"sentence_transformers", "torch"} <= modules
    # ... without what only training, the chat or the write path use
    assert not modules & {"sklearn", "scipy", "pandas", "gradio", "ray"}
    assert "qa.indexer" not in loaded and "qa.web" not in loaded
    # ... nor PyTorch's FSDP, which transformers imports for sharding a model in training
    # (qa/deferred.py; only with the releases whose importers were read)
    from qa.deferred import TRANSFORMERS_VERIFIED, _versions

    if _versions() in TRANSFORMERS_VERIFIED:
        assert not loaded & {"torch.distributed.fsdp", "torch.distributed._composable.fsdp"}


# The cyclic collector's passes in `qa ask`'s process, and what it froze, printed by the process itself.
_COLLECTOR_IN_ASK = ("import gc, json, sys\nruns = []\n"
                     "gc.callbacks.append(lambda phase, info:"
                     " runs.append(info['generation']) if phase == 'start' else None)\n"
                     "from qa.cli import main\nrc = main(sys.argv[1:])\n"
                     "print('GC', json.dumps({'full': runs.count(2), 'frozen': gc.get_freeze_count(),"
                     " 'tracked': len(gc.get_objects())}))\nsys.exit(rc)")


def test_ask_does_not_collect_what_opening_made(seed_index):
    """Opening imports PyTorch and sentence-transformers: the collector does not traverse those objects
    again and again while they are made, nor at exit (qa/collector.py: ~1.4 s of a cold `qa ask`)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("QA_USE_BACKEND", None)
    result = subprocess.run([sys.executable, "-c", _COLLECTOR_IN_ASK, "ask", "Who filed most generative AI patents?",
                             "--json", "--index", str(seed_index)], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.split("GC ", 1)[0])  # the answer, printed whole before
    counts = json.loads(next(x for x in result.stdout.splitlines() if x.startswith("GC "))[len("GC "):])
    assert counts["full"] == 0, counts
    # what opening made is frozen: the exit's collection traverses only what the search left
    assert counts["frozen"] > 10 * counts["tracked"] > 0, counts



def test_ask_at_a_terminal_does_not_collect_what_opening_made(seed_index):
    """`qa ask` at a terminal opens its reader in a thread while the first question is typed: the
    collector is paused and what opening made frozen there too (mutants22: that thread's
    `Retriever.open` without `opening()` went unseen)."""
    returncode, out, err = ask_at_terminal(["--json", "--index", str(seed_index)],
                                           ["Who filed most generative AI patents?", ""],
                                           program=("-c", _COLLECTOR_IN_ASK))
    assert returncode == 0, err
    counts = json.loads(next(x for x in out.splitlines() if x.startswith("GC "))[len("GC "):])
    assert counts["full"] == 0 and counts["frozen"] > 10 * counts["tracked"] > 0, counts


def test_the_collector_is_left_as_it_was_found():
    """`opening()` pauses the collector within its block and sets it back as it found it: on for
    a program that had it on, off for one that had turned it off (mutants22)."""
    import gc

    from qa.collector import opening

    try:
        gc.enable()
        with opening():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with opening():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()

def test_ask_cites_the_page_of_a_pdf(tmp_path):
    """The human citation says which page: "report.pdf §2 (p. 2)"; --json gives it too."""
    import formats

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.pdf").write_bytes(formats.pdf_bytes(
        [["The harbour of Brest was dredged in 1998."], ["The lighthouse of Ouessant was automated in 1990."]]))
    index = str(tmp_path / "index")
    assert run("index", str(docs), "--index", index).returncode == 0
    result = run("ask", "When was the lighthouse of Ouessant automated?", "--index", index, "-k", "1")
    assert result.returncode == 0, result.stderr
    assert "[1] report.pdf §2 (p. 2)" in result.stdout
    as_json = run("ask", "When was the harbour of Brest dredged?", "--index", index, "-k", "1", "--json")
    assert json.loads(as_json.stdout)[0]["page"] == 1
