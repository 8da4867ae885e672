"""`benchmarks/sections_dev.py --explore`: ways of giving a passage its section, scored in bulk
on the dev half the way `Retriever.search` scores (dense top 50 + BM25 top 50, `qa.fusion.fuse`),
as benchmarks/context_dev.py does for document context. Development data only."""
from __future__ import annotations

import shutil
import sqlite3

import numpy as np

from context_dev import CANDIDATES, Collection, summary

from qa.context import document_head
from qa.encoder import encoders
from qa.fusion import PASSAGE_SHARE, fuse
from qa.language import query_tokens, tokenize
from qa.layout import current_data
from qa.lexical_plan import lexical_search
from qa.store import DB_NAME, Store

HEAD_W = 0.3  # the shipped document-head weight (Session 6)


def explore(index, questions: list[dict], is_gold) -> None:
    encoder = encoders.get("use-m3")
    texts = [q["question"] for q in questions]
    c = Collection(index, texts, questions, is_gold, encoder)
    store = Store(current_data(index) / DB_NAME)
    rows = store.passages(c.ids.tolist())
    section = [rows[int(i)]["section"] for i in c.ids]
    has_sec = np.array([s is not None for s in section])
    qv = encoder.encode_queries(texts)
    # sections in order, and the text each one starts with
    order = sorted(range(len(c.ids)), key=lambda j: (c.doc[j], rows[int(c.ids[j])]["start"]))
    body: dict[tuple[int, str], str] = {}
    for j in order:
        if section[j]:
            key = (int(c.doc[j]), section[j])
            body[key] = (body.get(key, "") + " " + " ".join(rows[int(c.ids[j])]["text"].split())).strip()
    keys = list(body)
    sec_cos = {}
    for chars in (0, 300, 600):
        heads = [k[1] + ("\n" + body[k][:chars] if chars else "") for k in keys]
        vecs = dict(zip(keys, encoder.encode_documents(heads)))
        m = np.stack([vecs[(int(c.doc[j]), section[j])] if section[j] else np.zeros(qv.shape[1]) for j in range(len(c.ids))])
        sec_cos[chars] = qv @ m.T
    # the passage embedded with its heading path before its text
    with_path = [f"{section[j]}\n{rows[int(c.ids[j])]['text']}" if section[j] else rows[int(c.ids[j])]["text"]
                 for j in range(len(c.ids))]
    pathemb = qv @ encoder.encode_documents(with_path).T
    bm25_path = _bm25_with_paths(index, texts, c, section, rows)
    head = c.context["head600"]
    has_head = ~c.single & c.has["head600"]
    scale = encoder.calibration.dense_scale

    def ranks(mode: str, own="plain", wh=HEAD_W, ws=0.0, chars=300, lexical="plain"):
        out = []
        for q in range(len(texts)):
            cos = c.cos[q] if own == "plain" else np.where(has_sec, pathemb[q], c.cos[q])
            smax = (c.dense[q] - PASSAGE_SHARE * c.cos[q]) / (1 - PASSAGE_SHARE)
            d = PASSAGE_SHARE * cos + (1 - PASSAGE_SHARE) * smax
            h = np.where(has_head, head[q], d)
            s = np.where(has_sec, sec_cos[chars][q], h)
            d = (1 - wh - ws) * d + wh * h + ws * s
            bm = c.bm25[q] if lexical == "plain" else bm25_path[q]
            cand = sorted(set(np.argsort(-cos)[:CANDIDATES].tolist()) | {c.pos[i] for i, _ in bm})
            dense = {j: float(d[j]) for j in cand}
            if mode == "dense":
                ordered = sorted(dense, key=lambda j: (-dense[j], c.ids[j]))
            else:
                scored = fuse(dense, [(c.pos[i], x) for i, x in bm], {j: c.langs[j] for j in cand}, c.qlangs[q], scale)
                ordered = [j for _, _, j in sorted(scored, key=lambda t: (-t[0], c.ids[t[2]]))]
            out.append(next((r for r, j in enumerate(ordered[:10], 1) if j in c.gold[q]), None))
        return out

    rows_out = [("baseline (head 0.3)", {})]
    rows_out += [(f"path embedded with passage", {"own": "path"})]
    rows_out += [(f"lexical + path words", {"lexical": "path"})]
    rows_out += [(f"path emb + lexical path", {"own": "path", "lexical": "path"})]
    for chars in (0, 300, 600):
        for wh, ws in ((0.0, 0.3), (0.0, 0.4), (0.1, 0.2), (0.15, 0.15), (0.2, 0.1), (0.2, 0.2), (0.3, 0.1), (0.3, 0.2)):
            rows_out.append((f"section head {chars} chars", {"wh": wh, "ws": ws, "chars": chars}))
    for chars in (0, 300):
        for wh, ws in ((0.0, 0.3), (0.0, 0.4), (0.2, 0.2), (0.3, 0.1), (0.3, 0.2)):
            rows_out.append((f"lexical path + section head {chars} chars", {"wh": wh, "ws": ws, "chars": chars,
                                                                            "lexical": "path"}))
    print(f"dev: {len(texts)} questions; MRR@10 / first / in top 10")
    print("| variant | head w | section w | hybrid | dense |")
    print("|---|---|---|---|---|")
    for name, kw in rows_out:
        cells = [summary(ranks(mode, **kw)) for mode in ("hybrid", "dense")]
        print(f"| {name} | {kw.get('wh', HEAD_W)} | {kw.get('ws', 0.0)} | "
              + " | ".join("{:.3f} / {:.3f} / {:.3f}".format(*x) for x in cells) + " |", flush=True)


def _bm25_with_paths(index, texts, c, section, rows):
    """BM25 top 50 of each question over a copy of the index whose passages also carry their
    heading path's words (unless the passage holds its own heading: the first of its section)."""
    copy = index.parent / (index.name + "-lexpath")
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(index, copy)
    db = current_data(copy) / DB_NAME
    conn = sqlite3.connect(db)
    for j, i in enumerate(c.ids):
        if not section[j]:
            continue
        row = rows[int(i)]
        last = section[j].split(" › ")[-1]
        if last in " ".join(row["text"].split()):
            continue
        old = conn.execute("SELECT tokens FROM lexical WHERE rowid=?", (int(i),)).fetchone()[0]
        extra = " ".join(tokenize(section[j].replace(" › ", "\n"), row["lang"]))
        conn.execute("UPDATE lexical SET tokens=? WHERE rowid=?", (old + " " + extra, int(i)))
    conn.commit()
    conn.close()
    store = Store(db)
    from qa.language import detect_language
    out = [lexical_search(store, query_tokens(q, detect_language(q)), CANDIDATES) for q in texts]
    store.close()
    return out
