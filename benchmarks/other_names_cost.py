"""What reading a file under another name costs (session 18): a 3,000-paragraph Word file as .docx
and as a template (.dotx, whose package is copied with its main part retyped for python-docx), and
a feature film's subtitles (2,000 cues, 2 h 13 min) as .srt. CPU seconds of `read_document`, the
best of three reads.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/other_names_cost.py
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _cpu(read) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        read()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    import docx

    import office_names
    from qa.readers import read_document

    document = docx.Document()
    for n in range(3000):
        document.add_paragraph(f"Paragraph {n}: the committee reviewed item {n} of the budget and adopted it "
                               f"after a short debate about its cost and its schedule.")
    out = io.BytesIO()
    document.save(out)
    plain = out.getvalue()
    template = office_names.as_office_name(plain, ".dotx")
    a = read_document(Path("r.docx"), "r.docx", plain)
    b = read_document(Path("r.dotx"), "r.dotx", template)
    assert a.text == b.text
    print(f"docx {len(plain) / 1e6:.2f} MB: .docx {_cpu(lambda: read_document(Path('r.docx'), 'r.docx', plain)):.2f} s CPU,"
          f" .dotx {_cpu(lambda: read_document(Path('r.dotx'), 'r.dotx', template)):.2f} s CPU")
    cues, ms = [], 0
    for n in range(2000):
        end = ms + 3000
        cues.append(f"{n + 1}\n{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d} --> "
                    f"{end // 3600000:02d}:{end // 60000 % 60:02d}:{end // 1000 % 60:02d},{end % 1000:03d}\n"
                    f"Line {n} of what the character says,\n" + ("and the sentence ends here.\n" if n % 3 == 2 else
                                                                 "and it goes on\n"))
        ms = end + 1000
    srt = "\n".join(cues).encode()
    doc = read_document(Path("film.srt"), "film.srt", srt)
    print(f"srt {len(srt) / 1e3:.0f} KB, {len(cues)} cues -> {len(doc.blocks)} paragraphs: "
          f"{_cpu(lambda: read_document(Path('film.srt'), 'film.srt', srt)):.3f} s CPU")


if __name__ == "__main__":
    main()
