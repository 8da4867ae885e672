"""The "real" benchmark corpus: Debian's translated manual pages and the Python docs.

Installs (apt) `manpages-fr manpages-de manpages-es manpages-zh python3-doc mandoc`
when missing, renders each man page to plain text with `mandoc -T utf8` (overstrikes
removed) and copies the Python HTML documentation, into `benchmarks/data/corpus/`.
Then prints the number of files and paragraphs (passages as `qa` cuts them).

    python benchmarks/corpus.py [--out DIR] [--force]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "data" / "corpus"
PACKAGES = ["manpages-fr", "manpages-de", "manpages-es", "manpages-zh", "python3-doc", "mandoc"]
MAN_LANGS = {"fr": "fr", "de": "de", "es": "es", "zh_CN": "zh"}
PYDOC = Path("/usr/share/doc/python3-doc/html")
_OVERSTRIKE = re.compile(r".\x08")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def ensure_packages() -> None:
    missing = [p for p in PACKAGES
               if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if not missing:
        return
    print(f"installing {' '.join(missing)} (apt)...", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def _render(job: tuple[str, str]) -> bool:
    src, dst = job
    try:
        raw = Path(src).read_bytes()
        if src.endswith(".gz"):
            raw = gzip.decompress(raw)
        if raw.lstrip().startswith(b".so "):
            return False  # a link to another page
        out = subprocess.run(["mandoc", "-T", "utf8", "-W", "stop"], input=raw, capture_output=True,
                             timeout=60).stdout.decode("utf-8", "replace")
    except Exception:
        return False
    text = _ANSI.sub("", _OVERSTRIKE.sub("", out)).strip()
    if len(text) < 200:
        return False
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_text(text + "\n", encoding="utf-8")
    return True


def _count(path: str) -> int:
    from qa.passages import chunk_document
    from qa.readers import UnreadableDocument, read_document

    try:
        doc = read_document(Path(path), path)
    except UnreadableDocument:
        return 0
    return len(chunk_document(doc, 1500, None))


def build(out: Path, force: bool = False, workers: int | None = None) -> dict:
    stats_file = out.parent / (out.name + ".json")
    if stats_file.exists() and not force:
        return json.loads(stats_file.read_text())
    ensure_packages()
    if out.exists():
        shutil.rmtree(out)
    jobs = []
    for man_dir, lang in MAN_LANGS.items():
        base = Path("/usr/share/man") / man_dir
        for src in sorted(base.rglob("*")):
            if src.is_file() and not src.is_symlink():
                name = src.name.removesuffix(".gz")
                jobs.append((str(src), str(out / f"man-{lang}" / src.parent.name / (name + ".txt"))))
    workers = workers or os.cpu_count() or 2
    with ProcessPoolExecutor(workers) as pool:
        rendered = sum(pool.map(_render, jobs, chunksize=16))
    if PYDOC.is_dir():
        shutil.copytree(PYDOC, out / "python-doc", ignore=shutil.ignore_patterns("_static", "_images", "*.js",
                                                                                 "*.css", "*.txt", "*.inv"))
    files = sorted(str(p) for p in out.rglob("*") if p.suffix in (".txt", ".html"))
    with ProcessPoolExecutor(workers) as pool:
        counts = list(pool.map(_count, files, chunksize=16))
    by_part: dict[str, dict[str, int]] = {}
    for path, n in zip(files, counts):
        part = Path(path).relative_to(out).parts[0]
        entry = by_part.setdefault(part, {"files": 0, "paragraphs": 0})
        entry["files"] += 1
        entry["paragraphs"] += n
    stats = {"files": len(files), "paragraphs": sum(counts), "man_pages_rendered": rendered, "parts": by_part}
    stats_file.write_text(json.dumps(stats, indent=1))
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--force", action="store_true", help="rebuild even if present")
    args = parser.parse_args()
    stats = build(args.out, args.force)
    print(json.dumps(stats, indent=1))


if __name__ == "__main__":
    main()
