"""CPU time of parsing per passage (read, language, passages, tokens, sentences), on XQuAD
paragraphs joined 12 to a document in 7 languages; and what identifying the language of
every passage (as before identification became per document) would add.

    .venv/bin/python benchmarks/parse_speed.py
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import xquad_dir  # noqa: E402


def main() -> None:
    from qa.indexer import _prepare, _Prepared
    from qa.language import detect_language

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for lang in ["en", "de", "es", "zh", "ru", "ar", "vi"]:
            data = json.loads((xquad_dir() / f"xquad.{lang}.json").read_text(encoding="utf-8"))
            paras = [p["context"] for a in data["data"] for p in a["paragraphs"]]
            for i in range(0, len(paras), 12):
                f = Path(tmp) / f"{lang}-{i}.txt"
                f.write_text("\n\n".join(paras[i:i + 12]), encoding="utf-8")
                files.append(f)

        def run() -> tuple[float, float, int]:
            n, extra = 0, 0.0
            t = time.process_time()
            items = [_prepare(_Prepared(f, f.name, f.stat().st_size, 0, None), 1500) for f in files]
            parse = time.process_time() - t
            for item in items:
                n += len(item.passages)
                t = time.process_time()
                for p in item.passages:
                    detect_language(p.text[:400])
                extra += time.process_time() - t
            return parse / n * 1000, extra / n * 1000, n

        run()
        runs = [run() for _ in range(3)]
    out = {"passages": runs[0][2], "parse_ms_cpu_per_passage": round(statistics.median(r[0] for r in runs), 3),
           "identify_every_passage_would_add_ms": round(statistics.median(r[1] for r in runs), 3)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
