"""SQuAD v1.1 files as a retrieval benchmark: paragraphs, questions and their gold paragraph."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QAError


@dataclass
class Question:
    id: str
    text: str
    answers: list[str] = field(default_factory=list)


@dataclass
class SquadSet:
    """The paragraphs of one file (in order) and the questions asked about each."""

    contexts: list[str]
    gold: dict[str, int]  # question id -> index of its paragraph in `contexts`
    questions: list[Question]


def _load_json(path: str | os.PathLike) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QAError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QAError(f"cannot read {path} as JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise QAError(f"{path} is not a SQuAD v1.1 file (no top-level 'data' list)")
    return data


def _paragraphs(data: dict, path) -> list[dict]:
    try:
        return [p for article in data["data"] for p in article["paragraphs"]]
    except (KeyError, TypeError):
        raise QAError(f"{path} is not a SQuAD v1.1 file (articles need 'paragraphs')") from None


def load_squad(paragraphs: str | os.PathLike, questions: str | os.PathLike | None = None) -> SquadSet:
    """Paragraphs from `paragraphs`; questions from `questions` (default: the same file).

    A question's gold paragraph is the paragraph of `paragraphs` that holds a question
    with the same id, so parallel files (XQuAD) pair questions of one language with
    paragraphs of another; its gold answers are those of that paragraph (in its language).
    Questions whose id is not in `paragraphs` are left out.
    """
    pdata = _load_json(paragraphs)
    contexts: list[str] = []
    gold: dict[str, int] = {}
    answers: dict[str, list[str]] = {}
    for p in _paragraphs(pdata, paragraphs):
        index = len(contexts)
        contexts.append(str(p.get("context", "")))
        for qa in p.get("qas", []):
            gold[str(qa["id"])] = index
            answers[str(qa["id"])] = [str(a["text"]) for a in qa.get("answers", []) if str(a.get("text", "")).strip()]
    qdata = pdata if questions is None else _load_json(questions)
    asked: list[Question] = []
    for p in _paragraphs(qdata, questions or paragraphs):
        for qa in p.get("qas", []):
            qid = str(qa["id"])
            if qid in gold:
                asked.append(Question(qid, str(qa["question"]), answers[qid]))
    if not contexts:
        raise QAError(f"{paragraphs} holds no paragraphs")
    if not asked:
        raise QAError(f"no question of {questions or paragraphs} has its id among the paragraphs of {paragraphs}")
    return SquadSet(contexts, gold, asked)
