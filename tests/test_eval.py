"""`qa eval` on a small SQuAD fixture with known answers: real model, real index."""
from __future__ import annotations

import json
import math

import pytest

from qa.errors import QAError
from qa.evaluate import METRICS, evaluate, score_run
from qa.squad import load_squad
from conftest import ROOT
from test_cli import run

FIXTURES = ROOT / "tests" / "fixtures"
EN = FIXTURES / "squad-en.json"
ES_QUESTIONS = FIXTURES / "squad-es-questions.json"


def test_load_squad_pairs_questions_by_id():
    data = load_squad(EN, ES_QUESTIONS)
    assert len(data.contexts) == 6 and len(data.questions) == 12
    q = data.questions[0]
    assert q.text.startswith("¿Quién construyó")
    assert "Bell Rock" in data.contexts[data.gold[q.id]]
    assert q.answers == ["Robert Stevenson"]  # answers come from the paragraphs' file


def test_score_run_metrics_by_hand():
    # question 1: gold first; question 2: gold third (after a repeated paragraph); question 3: missed
    result = score_run([[4, 1], [2, 2, 0, 3, 1], [5, 6]], ["the answer 42", "nothing", None],
                       [4, 1, 0], [["42"], ["x"], ["y"]], k=10)
    assert result["questions"] == 3
    assert result["recall@1"] == pytest.approx(1 / 3)
    assert result["recall@5"] == pytest.approx(2 / 3) and result["recall@10"] == pytest.approx(2 / 3)
    assert result["mrr@10"] == pytest.approx((1 + 1 / 4) / 3)  # [2, 0, 3, 1]: gold 1 is 4th
    assert result["ndcg@10"] == pytest.approx((1 + 1 / math.log2(5)) / 3)
    assert result["answer_hit@1"] == pytest.approx(1 / 3)


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory):
    return tmp_path_factory.mktemp("eval-index")


def test_eval_monolingual_finds_every_paragraph(fixture_index):
    result = evaluate(EN, index=fixture_index)
    assert set(METRICS) <= set(result)
    assert result["questions"] == 12
    assert result["recall@1"] >= 11 / 12 and result["recall@5"] == 1.0 and result["recall@10"] == 1.0
    assert result["mrr@10"] >= 0.95 and result["ndcg@10"] >= result["mrr@10"]
    assert result["answer_hit@1"] >= 10 / 12  # the highlighted sentence holds the gold answer
    assert result["questions_per_s"] > 0
    # every gold passage is shown, so the share of shown ones flagged weak is the share of questions
    assert result["gold_shown_weak"] == pytest.approx(result["gold_weak"]) and result["gold_weak"] <= 2 / 12


def test_eval_cross_lingual_and_modes(fixture_index):
    hybrid = evaluate(EN, ES_QUESTIONS, index=fixture_index)
    dense = evaluate(EN, ES_QUESTIONS, index=fixture_index, mode="dense")
    lexical = evaluate(EN, ES_QUESTIONS, index=fixture_index, mode="lexical")
    assert hybrid["questions"] == 12
    assert hybrid["recall@1"] >= 10 / 12 and hybrid["recall@5"] == 1.0
    assert hybrid["mrr@10"] >= dense["mrr@10"] - 1e-9  # lexical evidence may not drag it below dense
    assert lexical["mrr@10"] < hybrid["mrr@10"]  # Spanish words barely match English paragraphs


def test_cli_eval_json(fixture_index):
    result = run("eval", "--squad", str(EN), "--index", str(fixture_index), "--json", "-k", "5")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= set(METRICS) and data["questions"] == 12 and data["recall@5"] == 1.0


def test_cli_eval_human_and_temporary_index():
    result = run("eval", "--squad", str(EN), "--questions", str(ES_QUESTIONS), "--limit", "4")
    assert result.returncode == 0, result.stderr
    assert "4 questions of squad-es-questions.json" in result.stdout and "mrr@10" in result.stdout


def test_cli_eval_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    for args in (("eval", "--squad", str(tmp_path / "missing.json")), ("eval", "--squad", str(bad)),
                 ("eval", "--squad", str(EN), "-k", "0")):
        result = run(*args)
        assert result.returncode == 1 and result.stderr.startswith("qa: error: "), result.stderr
    with pytest.raises(QAError):
        load_squad(bad)


def test_eval_never_replaces_the_documents_of_another_index(corpus, tmp_path):
    """`--index` names the user's index in every other command: `qa eval --index index`
    mirrored the SQuAD paragraphs into it, removing every document (Session 13)."""
    from qa import Retriever, build_index
    from conftest import SEED_NAME

    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    with pytest.raises(QAError, match="holds an index of other documents"):
        evaluate(EN, index=index)
    retriever = Retriever.open(index)
    assert {d["source"] for d in retriever.store.documents()} == {SEED_NAME}
    retriever.close()


def test_eval_in_a_kept_index_indexes_only_the_paragraphs_given(tmp_path):
    """A kept eval index reused with a smaller paragraphs file kept the earlier file's extra
    paragraphs as distractors: the scores were not those of the file given (Session 13)."""
    data = json.loads(EN.read_text(encoding="utf-8"))
    smaller = tmp_path / "smaller.json"
    first = data["data"][0]
    smaller.write_text(json.dumps({"version": data.get("version", "1.1"),
                                   "data": [{**first, "paragraphs": first["paragraphs"][:1]}]}), encoding="utf-8")
    index = tmp_path / "eval-index"
    evaluate(EN, index=index)
    evaluate(smaller, index=index)
    assert sorted(p.name for p in (index / "corpus").iterdir()) == ["p00000.txt"]
    from qa import Retriever

    retriever = Retriever.open(index)
    assert [d["source"] for d in retriever.store.documents()] == ["p00000.txt"]
    retriever.close()


def test_eval_updates_a_kept_index_made_by_an_earlier_qa(tmp_path):
    """A kept eval index whose store predates the `ctime_ns` column (session 12's format) made
    `qa eval --index` fail with "no such column: ctime_ns" before it could update it (Session 14)."""
    import sqlite3

    from qa.shards import databases

    index = tmp_path / "eval-index"
    first = evaluate(EN, index=index)
    for db in databases(index):
        if db.exists():
            conn = sqlite3.connect(db)
            conn.execute("ALTER TABLE documents DROP COLUMN ctime_ns")
            conn.commit()
            conn.close()
    again = evaluate(EN, index=index)
    assert again["mrr@10"] == first["mrr@10"] and again["questions"] == first["questions"]
