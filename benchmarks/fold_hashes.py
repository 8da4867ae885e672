"""A hash of `fold` and `tokenize` over every line of a folder's text files (.py .md .txt .json)
that holds none of the characters given: run before and after a change to `fold` that should
touch only those characters (session 18: Romanian's ș ț, U+0218-U+021B). Equal hashes, the
other lines' folds (in None, tr, az, ro, en) and tokens (non-ASCII lines, in tr and ro) unchanged.

    PYTHONPATH=. python benchmarks/fold_hashes.py FOLDER [CHARACTER_CLASS]
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from qa.language import fold, tokenize


def main(folder: Path, excluded: str) -> None:
    skip = re.compile(f"[{excluded}]")
    lines: list[str] = []
    for path in sorted(folder.glob("**/*")):
        if path.suffix in (".py", ".md", ".txt", ".json") and not {".venv", ".git"} & set(path.parts) and path.is_file():
            try:
                lines += [line for line in path.read_text(encoding="utf-8").splitlines() if not skip.search(line)]
            except (UnicodeDecodeError, OSError):
                pass
    folds, tokens = hashlib.sha256(), hashlib.sha256()
    for line in lines:
        for lang in (None, "tr", "az", "ro", "en"):
            folds.update(repr(fold(line, lang)).encode())
        if not line.isascii():
            for lang in ("tr", "ro"):
                tokens.update(repr(tokenize(line, lang)).encode())
    print(len(lines), "lines; folds", folds.hexdigest()[:16], "tokens", tokens.hexdigest()[:16])


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "\u0218-\u021b")
