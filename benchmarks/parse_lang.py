"""Parse time per passage with language identified per passage vs once per document.

XQuAD paragraphs (7 languages) are grouped into documents of 20 paragraphs, plus mixed
documents (10 paragraphs of one language, then 10 of another); each document goes
through the indexer's parse step (`_prepare`: read, chunk, language, tokens, sentences)
with `qa.language.LANGUAGE_PROBES = 0` (every passage identified) and the default (once per
document unless one of a few probed passages disagrees). Reported: ms per passage, and the share of
passages whose language is the same as with per-passage identification.

    python benchmarks/parse_lang.py
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

LANGS = ("en", "de", "es", "ru", "zh", "ar", "vi")


def main() -> None:
    from common import xquad_dir

    from qa import indexer, language

    default = language.LANGUAGE_PROBES
    from qa.squad import load_squad

    contexts = {lang: load_squad(xquad_dir() / f"xquad.{lang}.json").contexts for lang in LANGS}
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for lang in LANGS:
            for d in range(0, 240, 20):
                path = Path(tmp) / f"{lang}-{d:03d}.txt"
                path.write_text("\n\n".join(contexts[lang][d:d + 20]), encoding="utf-8")
                paths.append(path)
        for a, b in zip(LANGS, LANGS[1:] + LANGS[:1]):
            path = Path(tmp) / f"mixed-{a}-{b}.txt"
            path.write_text("\n\n".join(contexts[a][:10] + contexts[b][10:20]), encoding="utf-8")
            paths.append(path)
        results, langs = {}, {}
        for sample in (0, default):
            language.LANGUAGE_PROBES = sample
            items = [indexer._Prepared(p, p.name, p.stat().st_size, 0, None) for p in paths]
            indexer._prepare(items[0], 1500)  # load the identifier and stemmers first
            items = [indexer._Prepared(p, p.name, p.stat().st_size, 0, None) for p in paths]
            started = time.perf_counter()
            for item in items:
                indexer._prepare(item, 1500)
            seconds = time.perf_counter() - started
            passages = [p for item in items for p in item.passages]
            langs[sample] = [p.lang for p in passages]
            results[f"lang_sample_{sample}"] = {"passages": len(passages),
                                                "ms_per_passage": round(1000 * seconds / len(passages), 3)}
        same = sum(x == y for x, y in zip(langs[0], langs[default])) / len(langs[0])
        results["same_language_share"] = round(same, 4)
        results["cpu_count"] = os.cpu_count()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
