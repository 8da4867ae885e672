"""The weak-match rule relative to a per-question null (issue #15, docs/quality.md "Session 14:
the weak bar over several kinds of evidence"): chosen on the development data, read once on
held-out data.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak_null.py DUMP.pkl --grid
    ... weak_null.py DUMP.pkl --rule FAMILY,A,B,C      (read one rule on dev and held-out)

DUMP is benchmarks/weak_dump.py's (session 14: each question's vector and each collection's
passage vectors and languages besides the hits' terms). The null of a question for a hit: the
question's cosines to a fixed sample of SAMPLE passages of the collection *in the hit's
language* (all sampled passages when fewer than MIN_LANG are in it): their mean mu and standard
deviation sd. The hypothesis: it carries what one bar cannot (a question across languages scores
low against every passage of the other language, a collection of short passages scores high
against every question). Measured on dev, mu is higher for answerable questions than for
off-topic ones: it is evidence that the question is about the collection, not a null to
subtract (docs/quality.md). Families (evidence < 1.5 and the words/sentence releases of the
shipped rule kept in every one; `shipped` = qa.fusion.is_weak today):
  m:      weak iff dense - mu < A                                   (the dense bar replaced)
  z:      weak iff (dense - mu) / sd < A
  mand:   weak iff dense < A and dense - mu < B                      (frees only)
  mor:    weak iff dense < A or dense - mu < B                       (flags only)
  mx:     weak iff dense - mu < A (same language), < B (across)
  lin:    weak iff dense - C mu < A                                  (C 0..1.5: how much of the null)
  fl:     weak iff dense - mu < A or dense < B                       (a floor on the dense score)
  evid:   weak iff dense + A mu - B hub + C sent < T                 (mu as evidence; hub = the
          passage's hubness_5, qa/weakbar.py; sent = its best sentence's cosine)
  logit:  a logistic model of gold vs off-topic top-5 dev hits over (dense, dense - mu, across
          languages, hub, sent), its threshold gridded
Split, counts and objective as weak_sentence.py (sessions 8-12).
"""
from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa.fusion import (WEAK_DENSE, WEAK_LEXICAL, WEAK_SENTENCE, WEAK_SENTENCE_CHARS,  # noqa: E402
                       WEAK_SENTENCE_FLOOR, WEAK_WORDS, WEAK_WORDS_FLOOR)
from weak_context import RuleData, describe  # noqa: E402

SAMPLE = 1024
MIN_LANG = 32
FIELDS = ("dense", "evidence", "words", "cross", "sent", "chars", "mu", "sd", "mu_all", "qlang_mu", "hub")


def annotate(dump: dict, sample: int = SAMPLE, seed: int = 0) -> None:
    """Give every question of the dump its null per passage language (q["null"][lang] = (mu, sd))."""
    rng = np.random.default_rng(seed)
    for c in dump["collections"].values():
        pv = np.asarray(c["pvecs"], dtype=np.float32)
        langs = np.array([x or "" for x in c["plangs"]])
        pick = np.sort(rng.choice(len(pv), size=min(sample, len(pv)), replace=False))
        pv, langs = pv[pick], langs[pick]
        groups = {lang: np.flatnonzero(langs == lang) for lang in set(langs.tolist())}
        row_of = {int(i): n for n, i in enumerate(c["ids"])}
        hub = np.asarray(c["probe_top"])[:, :5].mean(axis=1)
        for qs in c["sets"].values():
            if not qs:
                continue
            qv = np.stack([np.asarray(q["qvec"], dtype=np.float32) for q in qs])
            cos = qv @ pv.T
            for n, q in enumerate(qs):
                for h in q["hits"]:
                    h["hub5"] = float(hub[row_of[h["id"]]])
                allv = (float(cos[n].mean()), float(cos[n].std()))
                q["null"] = {"": allv}
                for lang, idx in groups.items():
                    q["null"][lang] = allv if len(idx) < MIN_LANG else (float(cos[n, idx].mean()), float(cos[n, idx].std()))


def _row(h: dict, q: dict, group: int) -> tuple:
    s = h.get("sentence_cos")
    mu, sd = q["null"].get(h["plang"] or "", q["null"][""])
    return (h["dense"], h["evidence"], h["words_evidence"], float(h["plang"] != q["qlang"]),
            -1.0 if s is None else s, h.get("sentence_chars") or 0, mu, sd, q["null"][""][0],
            q["null"].get(q["qlang"], q["null"][""])[0], h["hub5"], group)


@dataclass
class Hits:
    dense: np.ndarray
    evidence: np.ndarray
    words: np.ndarray
    cross: np.ndarray
    sent: np.ndarray
    chars: np.ndarray
    mu: np.ndarray
    sd: np.ndarray
    mu_all: np.ndarray
    qlang_mu: np.ndarray
    hub: np.ndarray
    group: np.ndarray


def _hits(rows: list[tuple]) -> Hits:
    n = len(FIELDS)
    a = np.array([r[:n] for r in rows], dtype=float).reshape(-1, n)
    cols = {f: a[:, j] for j, f in enumerate(FIELDS)}
    cols["cross"] = cols["cross"] > 0
    return Hits(**cols, group=np.array([r[n] for r in rows], dtype=int))


def releases(h: Hits) -> np.ndarray:
    """What frees a low hit in the shipped rule: lexical evidence, translated words, the best sentence."""
    words = (h.words >= WEAK_WORDS) & (h.dense >= WEAK_WORDS_FLOOR)
    sent = (h.sent >= WEAK_SENTENCE) & (h.chars >= WEAK_SENTENCE_CHARS) & (h.dense >= WEAK_SENTENCE_FLOOR)
    return (h.evidence >= WEAK_LEXICAL) | words | sent


LOGIT_FEATURES = ("dense", "margin", "cross", "hub", "sent")


def features(h: Hits) -> np.ndarray:
    """The logistic family's inputs per hit: dense, dense - mu, across languages, hubness, best sentence."""
    return np.column_stack([h.dense, h.dense - h.mu, h.cross.astype(float), h.hub, np.maximum(h.sent, 0.0)])


@dataclass(frozen=True)
class Rule:
    family: str
    a: float = 0.0
    b: float = 0.0
    c: float = 0.0
    w: tuple = ()  # logit: intercept and one weight per LOGIT_FEATURES
    t: float = 0.0  # evid: the bar

    def label(self) -> str:
        return {"shipped": f"dense < {WEAK_DENSE}",
                "m": f"dense - mu < {self.a:.3f}",
                "z": f"(dense - mu) / sd < {self.a:.2f}",
                "mand": f"dense < {self.a:.2f} and dense - mu < {self.b:.3f}",
                "mor": f"dense < {self.a:.2f} or dense - mu < {self.b:.3f}",
                "mx": f"dense - mu < {self.a:.3f} (same language), < {self.b:.3f} (across)",
                "lin": f"dense - {self.c:.2f} mu < {self.a:.3f}",
                "fl": f"dense - mu < {self.a:.3f} or dense < {self.b:.2f}",
                "evid": f"dense + {self.a:.2f} mu - {self.b:.2f} hub + {self.c:.2f} sent < {self.t:.3f}",
                "logit": "logit(" + ", ".join(f"{x:+.2f} {n}" for x, n in zip(self.w[1:], LOGIT_FEATURES))
                         + f", {self.w[0]:+.2f}) < {self.a:.2f}" if self.w else "",
                }[self.family] + " (and no lexical/words/sentence release)"

    def low(self, h: Hits) -> np.ndarray:
        m = h.dense - h.mu
        f = self.family
        if f == "shipped":
            return h.dense < WEAK_DENSE
        if f == "m":
            return m < self.a
        if f == "z":
            return m / np.maximum(h.sd, 1e-6) < self.a
        if f == "mand":
            return (h.dense < self.a) & (m < self.b)
        if f == "mor":
            return (h.dense < self.a) | (m < self.b)
        if f == "mx":
            return np.where(h.cross, m < self.b, m < self.a)
        if f == "lin":
            return h.dense - self.c * h.mu < self.a
        if f == "fl":
            return (m < self.a) | (h.dense < self.b)
        if f == "evid":
            return h.dense + self.a * h.mu - self.b * h.hub + self.c * np.maximum(h.sent, 0.0) < self.t
        if f == "logit":
            return features(h) @ np.array(self.w[1:]) + self.w[0] < self.a
        raise ValueError(f)

    def weak(self, h: Hits) -> np.ndarray:
        return self.low(h) & ~releases(h)

    def strictness(self) -> tuple:
        return (-self.t, -self.a, -self.b, -self.c)


class Data(RuleData):
    def __init__(self, dump: dict) -> None:
        annotate(dump)
        super().__init__(dump, _row, _hits, Rule("shipped"))


def grid_rules() -> list[Rule]:
    ms = np.round(np.arange(0.10, 0.301, 0.005), 3)
    ds = np.round(np.arange(0.16, 0.32, 0.01), 2)
    rules = [Rule("m", a) for a in ms]
    rules += [Rule("z", a) for a in np.round(np.arange(1.0, 6.01, 0.1), 2)]
    rules += [Rule("mand", d, m) for d in ds for m in ms]
    rules += [Rule("mor", d, m) for d in ds for m in ms]
    rules += [Rule("mx", a, b) for a in ms for b in ms]
    rules += [Rule("lin", a, c=c) for a in np.round(np.arange(0.10, 0.301, 0.005), 3)
              for c in (0.25, 0.5, 0.75, 1.25, 1.5)]
    rules += [Rule("fl", a, d) for a in ms for d in np.round(np.arange(0.10, 0.21, 0.01), 2)]
    rules += [Rule("evid", a, b, c, t=t) for a in (0, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
              for b in (0, 0.5, 0.75, 1.0, 1.25, 1.5) for c in (0, 0.2, 0.3, 0.4, 0.5)
              for t in np.round(np.arange(0.0, 0.5, 0.005), 3)]
    return rules


def logit_rules(data: "Data") -> list[Rule]:
    """A logistic model of gold (1) against off-topic top-5 hits (0), dev hits that no lexical,
    words or sentence evidence frees, fitted on dev; its threshold gridded."""
    from sklearn.linear_model import LogisticRegression

    g, o = data.gold["dev"], data.off["dev"]
    gm, om = ~releases(g), ~releases(o)
    x = np.vstack([features(g)[gm], features(o)[om]])
    y = np.r_[np.ones(int(gm.sum())), np.zeros(int(om.sum()))]
    model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000).fit(x, y)
    w = (float(model.intercept_[0]), *map(float, model.coef_[0]))
    print("logit weights (intercept, " + ", ".join(LOGIT_FEATURES) + "):", " ".join(f"{v:+.3f}" for v in w))
    return [Rule("logit", float(t), w=w) for t in np.round(np.arange(-6.0, 6.01, 0.1), 2)]


def _pct(v: np.ndarray) -> str:
    if not len(v):
        return "n=0"
    return f"n={len(v)} pct 1/10/50/90/99: " + " / ".join(f"{np.percentile(v, p):.3f}" for p in (1, 10, 50, 90, 99))


def separation(data: Data) -> None:
    """Dev only: dense, mu and dense - mu of gold hits (same language, across) and off-topic top-5 hits."""
    g, o = data.gold["dev"], data.off["dev"]
    gr, orel = ~releases(g), ~releases(o)
    for name, h, mask in (("gold same language", g, gr & ~g.cross), ("gold across languages", g, gr & g.cross),
                          ("off-topic top 5", o, orel), ("off-topic top 5 across", o, orel & o.cross)):
        print(f"  {name}: dense {_pct(h.dense[mask])}")
        print(f"  {' ' * len(name)}  mu    {_pct(h.mu[mask])}")
        print(f"  {' ' * len(name)}  d-mu  {_pct((h.dense - h.mu)[mask])}")
        print(f"  {' ' * len(name)}  z     {_pct(((h.dense - h.mu) / h.sd)[mask])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--grid", action="store_true", help="grid the families on dev (dev figures only)")
    ap.add_argument("--rule", help="FAMILY,A,B,C: read this rule (and the shipped one) on dev and held-out")
    args = ap.parse_args()
    data = Data(pickle.loads(Path(args.dump).read_bytes()))
    print(f"dev: {len(data.gold['dev'].dense)} gold hits, {len(data.off_labels['dev'])} off-topic questions x collections")
    shipped = Rule("shipped")
    if args.grid:
        separation(data)
        print("shipped:", data.score(shipped)[:4])
        rules = grid_rules() + logit_rules(data)
        scored = sorted(((data.score(r), r) for r in rules), key=lambda t: t[0])
        for family in sorted({r.family for r in rules}):
            print(f"best of {family}: (new dev leaks, worst dev share, dev gold flagged, dev off-topic passing)")
            for sc, r in [t for t in scored if t[1].family == family][:4]:
                print(f"   {sc[:4]}  {r.label()}")
        describe(data, scored[0][1], held=False)
        describe(data, shipped, held=False)
    if args.rule:
        family, a, b, c, *w = args.rule.split(",")
        describe(data, shipped, held=True)
        rule = (Rule(family, float(a), float(b), float(c), t=float(w[0])) if family == "evid"
                else Rule(family, float(a), float(b), float(c), tuple(map(float, w))))
        describe(data, rule, held=True)


if __name__ == "__main__":
    main()
