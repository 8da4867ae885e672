"""Whether `Store.first_passage`'s sentence spans change the passage vector `check_probe` compares
(mutants21's `stored-passage-without-spans`): a three-sentence passage of a real USE-m3 index embedded
again with its spans and with none, each vector's cosine with the stored one.

    PYTHONPATH=$PWD python benchmarks/mutants21_spans.py
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from qa import build_index
from qa.encoder import encoders
from qa.layout import current_data
from qa.store import DB_NAME, Store


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docs, index = Path(tmp) / "docs", Path(tmp) / "index"
        docs.mkdir()
        (docs / "a.md").write_text("The kettle is in room 4. It was bought in May. Nobody uses it on Sundays.\n",
                                   encoding="utf-8")
        build_index([docs], index=index, progress=False)
        encoder = encoders.get(None)
        store = Store(current_data(index) / DB_NAME)
        try:
            text, spans, stored = store.first_passage(encoder.dimension)
        finally:
            store.close()
        for given in (spans, []):
            vector = encoder.encode_passages([text], [given])[0][0]
            cosine = float(vector @ stored / (np.linalg.norm(vector) * np.linalg.norm(stored)))
            print(f"spans {given}: cosine with the stored vector {cosine:.6f}")


if __name__ == "__main__":
    main()
