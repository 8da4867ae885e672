"""`qa eval`: paragraph retrieval measured on a SQuAD v1.1 file, through `Retriever.search`."""
from __future__ import annotations

import math
import os
import re
import tempfile
import time
import unicodedata
from contextlib import ExitStack
from pathlib import Path

from .errors import QAError
from .indexer import build_index
from .layout import is_index
from .retrieval import Retriever
from .shards import databases
from .squad import SquadSet, load_squad
from .store import Store

METRICS = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "answer_hit@1", "questions",
           "questions_per_s")


_PARAGRAPH = re.compile(r"p\d{5}\.txt")


def _source(index: int) -> str:
    return f"p{index:05d}.txt"


def write_corpus(contexts: list[str], folder: Path) -> None:
    """One text file per paragraph, named by its position; unchanged files keep their bytes,
    and paragraphs of an earlier, longer file go."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, context in enumerate(contexts):
        path = folder / _source(i)
        data = context.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    for path in folder.glob("p*.txt"):
        if _PARAGRAPH.fullmatch(path.name) and int(path.name[1:6]) >= len(contexts):
            path.unlink()


def check_eval_index(index: Path) -> None:
    """Refuse an index of other documents than an earlier `qa eval`'s paragraphs in `index`:
    indexing the paragraphs there would remove them all."""
    if not is_index(index):
        return
    corpus = os.path.abspath(index / "corpus") + os.sep
    others = 0
    for db in databases(index):
        if db.exists():
            store = Store(db)
            try:
                others += sum(1 for state in store.file_states().values()
                              if not (state.origin or "").startswith(corpus))
            finally:
                store.close()
    if others:
        raise QAError(f"{index} holds an index of other documents ({others} not from qa eval), which qa eval "
                      "would replace with the paragraphs: give --index a new folder")


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def score_run(ranked: list[list[int]], answers: list[str | None], golds: list[int],
              gold_answers: list[list[str]], k: int = 10) -> dict:
    """Metrics from, per question, the paragraph indexes returned (best first, passages of one
    paragraph counted once), the top passage's answer sentence, its gold paragraph and answers."""
    n = len(golds)
    recall = {1: 0, 5: 0, 10: 0}
    mrr = ndcg = hit = 0.0
    for order, answer, gold, texts in zip(ranked, answers, golds, gold_answers):
        seen = list(dict.fromkeys(order))[:k]
        rank = seen.index(gold) + 1 if gold in seen else None
        if rank is not None:
            for cut in recall:
                recall[cut] += rank <= cut
            mrr += 1.0 / rank
            ndcg += 1.0 / math.log2(rank + 1)
        if answer is not None and any(_norm(t) in _norm(answer) for t in texts):
            hit += 1
    return {"recall@1": recall[1] / n, "recall@5": recall[5] / n, "recall@10": recall[10] / n,
            "mrr@10": mrr / n, "ndcg@10": ndcg / n, "answer_hit@1": hit / n, "questions": n}


def evaluate(squad: str | os.PathLike, questions: str | os.PathLike | None = None, model: str | None = None,
             k: int = 10, index: str | os.PathLike | None = None, mode: str = "hybrid",
             limit: int | None = None) -> dict:
    """Index the paragraphs of `squad` (in `index`, or a temporary folder), ask every question of
    `questions` (default: `squad`) with `Retriever.search(question, k)` and score the answers.

    A question's gold paragraph is the one holding the same question id in `squad`; the
    answer hit counts questions whose top passage's highlighted sentence contains a gold
    answer text (normalised: NFKC, case-folded, spaces collapsed).
    """
    data: SquadSet = load_squad(squad, questions)
    asked = data.questions[:limit] if limit else data.questions
    with ExitStack() as stack:
        if index is None:
            index = stack.enter_context(tempfile.TemporaryDirectory(prefix="qa-eval-"))
        index = Path(index)
        check_eval_index(index)
        corpus = index / "corpus"
        write_corpus(data.contexts, corpus)
        build_index([corpus], index=index, model=model, progress=False)
        retriever = Retriever.open(index, model=model)
        try:
            retriever.search("warm up", k=k, mode=mode)  # load lazily loaded models before timing
            retriever.encoder.clear_cache()  # time real query encoding, not a cache
            by_source = {_source(i): i for i in range(len(data.contexts))}
            ranked, answers, weak, shown_weak = [], [], [], []
            started = time.perf_counter()
            for q in asked:
                hits = retriever.search(q.text, k=k, mode=mode)
                ranked.append([by_source.get(h.source, -1) for h in hits])
                answers.append(hits[0].answer.text if hits and hits[0].answer else None)
                gold = data.gold[q.id]
                gold_hits = [h for h in hits if by_source.get(h.source) == gold]
                weak.append(all(h.weak for h in gold_hits))
                if gold_hits:
                    shown_weak.append(gold_hits[0].weak)
            seconds = time.perf_counter() - started
        finally:
            retriever.close()
    result = score_run(ranked, answers, [data.gold[q.id] for q in asked], [q.answers for q in asked], k)
    result["questions_per_s"] = len(asked) / seconds if seconds > 0 else float("inf")
    result["gold_weak"] = sum(weak) / len(weak)  # gold passage under the weak-match threshold (or not in top k)
    # of the questions whose gold passage is shown (in the top k), the share shown as a weak match
    result["gold_shown_weak"] = sum(shown_weak) / len(shown_weak) if shown_weak else 0.0
    return result
