"""XQuAD's articles as subtitle files: cues joined into paragraphs against a passage per cue.

Each XQuAD article (5 paragraphs) is written as an .srt, as subtitles are cut: lines of at most 42
characters, two lines a cue, a cue cut at a sentence's end or when full, on screen for its length
at 15 characters a second, 0.2 s between cues, and no longer pause between the article's
paragraphs (a speaker's pauses do not mark a text's paragraphs: the reader's paragraphs are its
own, not XQuAD's). The same collection is indexed three ways: the article as a plain text file
with its paragraphs (`text`, what the words are worth when their paragraphs are known), the .srt
as `qa.readers.subtitles` reads it (`joined`), and the .srt a passage per cue (`cues`: the
reader's paragraph limit set to one cue), and every question of the split asked (k=10).

A hit is gold when it is in the question's article and holds one of the question's answers
(whitespace and case aside): a cue seldom holds the middle of a whole sentence, so the rule of
pdf_articles.py would count against it. Reported: MRR@10, first, answer-hit@1 (the top hit's
answer sentence holds an answer), passages, and for `joined` the cited time's error: seconds
between the time the gold passage is cited with and the start of the cue that says the answer
(0 when the passage starts at that cue: how long a listener who starts at the cited time waits
for the answer). Split as
xquad_articles.py: even articles development, odd held-out.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/subtitles.py [--langs en,de] [--split dev|held]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINE = 42
CHARS_PER_SECOND = 15
GAP_MS = 200


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def cues_of(paragraphs: list[str], lang: str) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text of one or two lines) of the article's cues."""
    from qa.sentences import sentence_spans

    cues, ms = [], 0
    for paragraph in paragraphs:
        for s, e in sentence_spans(paragraph, lang):
            words, lines, line = paragraph[s:e].split(), [], ""
            for word in words:
                if line and len(line) + 1 + len(word) > LINE:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            lines.append(line)
            for i in range(0, len(lines), 2):
                text = "\n".join(lines[i:i + 2])
                length = max(1000, len(text) * 1000 // CHARS_PER_SECOND)
                cues.append((ms, ms + length, text))
                ms += length + GAP_MS
    return cues


def _stamp(ms: int) -> str:
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def write_srt(path: Path, cues: list[tuple[int, int, str]]) -> None:
    path.write_text("".join(f"{n}\n{_stamp(s)} --> {_stamp(e)}\n{text}\n\n" for n, (s, e, text) in enumerate(cues, 1)),
                    encoding="utf-8")


def questions(data: Path, lang: str, split: str) -> list[tuple[str, int, list[str]]]:
    out = []
    articles = json.loads((data / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
    for a, article in enumerate(articles):
        if (a % 2 == 0) != (split == "dev"):
            continue
        for p in article["paragraphs"]:
            for q in p["qas"]:
                out.append((q["question"], a, [x["text"] for x in q["answers"]]))
    return out


def _seconds(clock: str) -> int:
    h, m, s = (int(x) for x in clock.split(":"))
    return h * 3600 + m * 60 + s


def _said_at(folder: Path, hit, answers: list[str], docs: dict) -> int | None:
    """The second the cue holding the start of an answer (in the passage) starts at."""
    from qa.readers import read_document

    for answer in answers:
        m = re.search(r"\s+".join(map(re.escape, answer.split())), hit.text, re.IGNORECASE)
        if m:
            break
    else:
        return None
    if hit.source not in docs:
        docs[hit.source] = read_document(folder / hit.source, hit.source)
    doc, offset = docs[hit.source], hit.start + m.start()
    block = next(b for b in doc.blocks if b.start <= offset <= b.end)
    return block.page_at(offset)


def evaluate(retriever, asked, folder: Path, timed: bool) -> dict:
    rr = first = hit = 0.0
    errors: list[int] = []
    docs: dict = {}
    for question, article, answers in asked:
        keys = [_norm(x) for x in answers]
        hits = retriever.search(question, k=10)
        rank = next((n for n, h in enumerate(hits, 1)
                     if Path(h.source).stem == f"a{article:02d}" and any(k in _norm(h.text) for k in keys)), None)
        rr += 1 / rank if rank else 0.0
        first += rank == 1
        answer = hits[0].answer.text if hits and hits[0].answer else ""
        hit += any(k in _norm(answer) for k in keys)
        if timed and rank and hits[rank - 1].time is not None:
            said = _said_at(folder, hits[rank - 1], answers, docs)
            if said is not None:
                errors.append(said - _seconds(hits[rank - 1].time))
    n = len(asked)
    out = {"questions": n, "mrr10": rr / n, "first": first / n, "answer_hit1": hit / n}
    if errors:
        errors.sort()
        out["time_error_median"] = errors[len(errors) // 2]
        out["time_error_p90"] = errors[int(len(errors) * 0.9)]
        out["time_error_negative"] = sum(e < 0 for e in errors)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", default="en,de")
    ap.add_argument("--split", default="dev", choices=("dev", "held"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    args = ap.parse_args()
    from qa import Retriever, build_index
    from qa.readers import subtitles

    data = Path(args.data)
    print("| lang | collection | questions | passages | MRR@10 | first | answer-hit@1 | cited time error, s (median / p90) |")
    print("|---|---|---|---|---|---|---|---|")
    default_max = subtitles.MAX_PARAGRAPH_CHARS
    for lang in args.langs.split(","):
        articles = json.loads((data / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
        asked = questions(data, lang, args.split)
        paragraphs = {a: [" ".join(p["context"].split()) for p in article["paragraphs"]]
                      for a, article in enumerate(articles)}
        cues = {a: cues_of(paragraphs[a], lang) for a in paragraphs}
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            for kind in ("text", "joined", "cues"):
                folder = tmp / kind
                folder.mkdir()
                for a in paragraphs:
                    if kind == "text":
                        (folder / f"a{a:02d}.txt").write_text("\n\n".join(paragraphs[a]) + "\n", encoding="utf-8")
                    else:
                        write_srt(folder / f"a{a:02d}.srt", cues[a])
                subtitles.MAX_PARAGRAPH_CHARS = 1 if kind == "cues" else default_max
                report = build_index([folder], index=tmp / f"index-{kind}", progress=False)
                subtitles.MAX_PARAGRAPH_CHARS = default_max
                retriever = Retriever.open(tmp / f"index-{kind}")
                r = evaluate(retriever, asked, folder, kind == "joined")
                retriever.close()
                times = (f"{r['time_error_median']} / {r['time_error_p90']}" + (
                    f" ({r['time_error_negative']} cited after)" if r["time_error_negative"] else "")
                    if kind == "joined" else "—")
                print(f"| {lang} | {kind} | {r['questions']} | {report.passages} | {r['mrr10']:.3f} | {r['first']:.3f} | "
                      f"{r['answer_hit1']:.3f} | {times} |", flush=True)


if __name__ == "__main__":
    main()
