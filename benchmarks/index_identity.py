"""Whether two indexes built from the same files hold the same content.

Every SQLite table is compared row by row (all columns, in rowid order; the meta rows that
name the index itself, `identity`, differ by design and are listed only), the FAISS vectors
file byte for byte, `sentences.matrix` and `words.ivf` byte for byte once the identity in their headers is put
back to the other's, and the manifests but for their identity. Exit status 1 on a difference.

    python benchmarks/index_identity.py INDEX_A INDEX_B
"""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

OWN = {"identity"}  # meta keys that belong to one index by design


def data_folder(index: Path) -> Path:
    from qa.layout import current_data

    return current_data(index)


def rows(conn: sqlite3.Connection, name: str) -> list[tuple]:
    if name == "meta":
        return conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
    if name == "lexical":
        return conn.execute("SELECT rowid, tokens FROM lexical ORDER BY rowid").fetchall()
    try:
        return conn.execute(f"SELECT rowid, * FROM {name} ORDER BY rowid").fetchall()
    except sqlite3.OperationalError:  # WITHOUT ROWID (FTS5's idx and config): by every column
        width = len(conn.execute(f"SELECT * FROM {name} LIMIT 1").description)
        return conn.execute(f"SELECT * FROM {name} ORDER BY {', '.join(str(i + 1) for i in range(width))}").fetchall()


def compare(a: Path, b: Path) -> list[str]:
    problems: list[str] = []
    da, db = data_folder(a), data_folder(b)
    ca, cb = sqlite3.connect(da / "passages.sqlite"), sqlite3.connect(db / "passages.sqlite")
    names = sorted({r[0] for r in ca.execute("SELECT name FROM sqlite_master WHERE type='table'")})
    names_b = sorted({r[0] for r in cb.execute("SELECT name FROM sqlite_master WHERE type='table'")})
    if names != names_b:
        problems.append(f"tables differ: {names} vs {names_b}")
    counts = {}
    for name in names:
        ra, rb = rows(ca, name), rows(cb, name)
        if name == "meta":
            ra = [r for r in ra if r[0] not in OWN]
            rb = [r for r in rb if r[0] not in OWN]
        counts[name] = len(ra)
        if ra != rb:
            diff = next((i for i, (x, y) in enumerate(zip(ra, rb)) if x != y), min(len(ra), len(rb)))
            problems.append(f"table {name}: {len(ra)} vs {len(rb)} rows, first difference at row {diff}: "
                            f"{str(ra[diff])[:200] if diff < len(ra) else None} vs "
                            f"{str(rb[diff])[:200] if diff < len(rb) else None}")
    ident_a = dict(ca.execute("SELECT key, value FROM meta")).get("identity")
    ident_b = dict(cb.execute("SELECT key, value FROM meta")).get("identity")
    for name in ("vectors.faiss",):
        if (da / name).read_bytes() != (db / name).read_bytes():
            problems.append(f"{name} differs")
    ja, jb = json.loads((da / "vectors.json").read_text()), json.loads((db / "vectors.json").read_text())
    ja.pop("identity", None), jb.pop("identity", None)
    if ja != jb:
        problems.append(f"vectors.json differs: {ja} vs {jb}")
    # the words' inverted file (Session 18): its header names the index, the rest byte for byte
    wa, wb = da / "words.ivf", db / "words.ivf"
    if wa.exists() != wb.exists():
        problems.append(f"words.ivf in one index only: {wa.exists()} vs {wb.exists()}")
    elif wa.exists():
        ba, bb = wa.read_bytes(), wb.read_bytes()
        if len(ba) != len(bb) or ba.replace(ident_a.encode(), ident_b.encode(), 1) != bb:
            problems.append("words.ivf differs")
    ma, mb = (da / "sentences.matrix").read_bytes(), (db / "sentences.matrix").read_bytes()
    if len(ma) != len(mb) or ma.replace(ident_a.encode(), ident_b.encode(), 1) != mb:
        problems.append("sentences.matrix differs")
    fa, fb = json.loads((da / "manifest.json").read_text()), json.loads((db / "manifest.json").read_text())
    for m in (fa, fb):
        m.pop("identity", None)
        m.get("versions", {}).pop("qa", None)
    if fa != fb:
        problems.append("manifest.json differs")
    print(f"compared {a} and {b}: rows {counts}; vectors.faiss {(da / 'vectors.faiss').stat().st_size} bytes, "
          f"sentences.matrix {len(ma)} bytes")
    return problems


def main() -> None:
    problems = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    for p in problems:
        print("DIFFERENT:", p)
    print("identical" if not problems else f"{len(problems)} differences")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
