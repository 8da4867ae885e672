"""OCR with the real Tesseract: scanned PDFs and photographed pages, in French and English."""
from __future__ import annotations

import os

import pytest

import formats
from qa import Retriever, build_index
from qa.errors import QAError
from qa.readers import ocr
from qa.render import citation


@pytest.fixture(autouse=True)
def tesseract():
    if not ocr.available() or not {"eng", "fra"} <= set(ocr.installed_languages()):
        reason = "Tesseract with eng and fra not installed (scripts/install-system.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


FRENCH = [["Compte rendu de la visite du chai"],
          ["Le viticulteur a mis en bouteille", "quatre mille flacons de vin rouge", "le douze octobre."]]
ENGLISH = ["The lighthouse keeper repaired the lamp", "after the storm of January 1998."]


def test_scanned_pdf_and_photo(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    formats.scanned_pdf(docs / "scan.pdf", FRENCH)
    formats.text_image(ENGLISH, noise=True).convert("RGB").save(docs / "photo.jpg", quality=80)
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert report.skipped == [] and report.added == 2
    retriever = Retriever.open(tmp_path / "index")
    hit = retriever.search("Combien de bouteilles de vin le viticulteur a-t-il remplies ?", k=1)[0]
    assert (hit.source, hit.page, hit.ocr) == ("scan.pdf", 2, True)
    assert "quatre mille" in hit.text
    assert hit.title == "Compte rendu de la visite du chai" and hit.authors is None  # not "untitled", "anonymous"
    assert " · p. 2 · " in citation(hit) and citation(hit).endswith(" · OCR")  # the chat says it was recognised
    hit = retriever.search("When did the storm damage the lighthouse lamp?", k=1)[0]
    assert (hit.source, hit.page, hit.ocr) == ("photo.jpg", 1, True)
    assert "1998" in hit.text
    retriever.close()


def test_text_pages_are_not_marked_ocr(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "text.pdf").write_bytes(formats.pdf_bytes([["The orchard has three hundred apple trees."]]))
    build_index([docs], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    hit = retriever.search("How many apple trees?", k=1)[0]
    assert hit.source == "text.pdf" and hit.ocr is False and "OCR" not in citation(hit)
    retriever.close()


def test_ocr_cache_survives_rebuild_and_is_used(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    formats.text_image(ENGLISH).save(docs / "scan.png")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False, ocr_lang="eng")
    cached = list((index / "ocr-cache").rglob("*-eng.txt"))
    assert len(cached) == 1 and "lighthouse" in cached[0].read_text()
    # the cached text is what a rebuild indexes: the image is not read again
    cached[0].write_text("Texte venu du cache : le gardien du phare.", encoding="utf-8")
    build_index([docs], index=index, progress=False, ocr_lang="eng", rebuild=True)
    retriever = Retriever.open(index)
    assert retriever.search("gardien du phare", k=1)[0].text == "Texte venu du cache : le gardien du phare."
    retriever.close()


def test_no_ocr_and_unknown_language(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    formats.text_image(ENGLISH).save(docs / "scan.png")
    (docs / "notes.txt").write_text("Plain notes about the lighthouse.")
    report = build_index([docs], index=tmp_path / "index", progress=False, ocr=False)
    assert dict(report.skipped) == {"scan.png": "image: OCR is off (--no-ocr)"}
    with pytest.raises(QAError, match="not installed; installed: "):
        build_index([docs], index=tmp_path / "index2", progress=False, ocr_lang="xyz+eng")


def test_command_line_ocr_flags(tmp_path):
    import json
    import subprocess
    import sys

    from conftest import ROOT

    docs = tmp_path / "docs"
    docs.mkdir()
    formats.text_image(ENGLISH).save(docs / "scan.png")

    def run(*args):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        return subprocess.run([sys.executable, "-m", "qa", "index", str(docs), *args], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=600)

    bad = run("--index", str(tmp_path / "i1"), "--ocr-lang", "klingon")
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1
    assert bad.stderr.startswith("qa: error: OCR language(s) klingon not installed; installed: ")
    off = run("--index", str(tmp_path / "i2"), "--no-ocr", "--json")
    assert json.loads(off.stdout)["skipped"] == [["scan.png", "image: OCR is off (--no-ocr)"]]
    on = run("--index", str(tmp_path / "i3"), "--ocr-lang", "eng", "--json")
    assert json.loads(on.stdout)["added"] == 1


def test_multi_page_tiff_frames_are_pages(tmp_path):
    from qa.readers import read_document

    pages = [formats.text_image(["Première page : le pressoir."]), formats.text_image(["Second page: the cellar."])]
    path = tmp_path / "scan.tiff"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    doc = read_document(path, path.name, ocr=ocr.OcrOptions(True, "fra+eng"))
    assert [doc.text[b.start:b.end] for b in doc.blocks] == ["Première page : le pressoir.", "Second page: the cellar."]
    assert [b.page for b in doc.blocks] == [1, 2] and doc.meta == {"ocr_pages": [1, 2]}


def _places(hits) -> set[str]:
    """The citations ("source §paragraph") of the hits and of the other places of their words."""
    return {f"{hit.source} §{hit.paragraph}" for hit in hits} | {place for hit in hits for place in hit.also_in}


def mixed_pdf(path) -> None:
    """A PDF of a text page and a scanned page (ENGLISH, without a text layer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(72, 800, "The orchard has three hundred apple trees.")
    c.showPage()
    image = formats.text_image(ENGLISH)
    c.drawImage(ImageReader(image), 0, 400, width=A4[0], height=image.height * A4[0] / image.width)
    c.showPage()
    c.save()


def test_files_are_read_again_when_the_ocr_settings_change(tmp_path):
    """A file's text depends on the OCR settings as well as its bytes: an unchanged PDF indexed
    with OCR off must get its scanned page once OCR is on, and an image read in one language
    is read again in another (Session 13)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    mixed_pdf(docs / "mixed.pdf")
    formats.text_image(ENGLISH).save(docs / "scan.png")
    index = tmp_path / "index"
    off = build_index([docs], index=index, progress=False, ocr=False)
    assert off.added == 1 and dict(off.skipped) == {"scan.png": "image: OCR is off (--no-ocr)"}
    on = build_index([docs], index=index, progress=False, ocr_lang="eng")
    assert (on.added, on.updated) == (1, 1)  # the image; the PDF's scanned page
    retriever = Retriever.open(index)
    hits = retriever.search("When was the lighthouse lamp repaired?", k=5)
    # the scan's words are the image's, word for word: one hit, the other its place (`also_in`)
    assert "mixed.pdf §2" in _places(hits)
    retriever.close()
    same = build_index([docs], index=index, progress=False, ocr_lang="eng")
    assert (same.updated, same.unchanged, same.passages_embedded) == (0, 2, 0)
    other = build_index([docs], index=index, progress=False, ocr_lang="fra")
    # both read again in French; a text that comes out as stored only refreshes its sections
    assert len(list((index / "ocr-cache").rglob("*-fra.txt"))) == 2
    assert other.updated + other.unchanged == 2 and not other.skipped
    # OCR off again: what a new index would hold (the image leaves, the PDF keeps its text page)
    off = build_index([docs], index=index, progress=False, ocr=False)
    assert (off.updated, off.removed) == (1, 1)
    retriever = Retriever.open(index)
    assert {hit.source for hit in retriever.search("lighthouse lamp", k=5)} == {"mixed.pdf"}
    assert all(hit.page == 1 for hit in retriever.search("lighthouse lamp", k=5))
    retriever.close()


def test_a_damaged_ocr_cache_entry_is_read_again(tmp_path):
    """The OCR cache outlives --rebuild: an entry that cannot be read (a damaged disk block,
    a half-copied backup) made its scan "cannot parse (UnicodeDecodeError)" and took it out of
    the index at every run; it is an optimisation, so it is read again instead (Session 13)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    formats.text_image(ENGLISH).save(docs / "scan.png")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False, ocr_lang="eng")
    [cached] = (index / "ocr-cache").rglob("*-eng.txt")
    cached.write_bytes(b"\xff\xfe\x00garbage\xc3")
    report = build_index([docs], index=index, progress=False, ocr_lang="eng", rebuild=True)
    assert report.skipped == [] and report.added == 1
    retriever = Retriever.open(index)
    assert "lighthouse" in retriever.search("When was the lighthouse lamp repaired?", k=1)[0].text
    retriever.close()
    assert "lighthouse" in cached.read_text(encoding="utf-8")


def test_a_file_added_with_other_ocr_settings_is_read_again_by_the_next_full_run(tmp_path):
    """`--add` with other OCR settings than the index's reads the files given with them, and
    leaves the index's record as it was: a PDF added with OCR off kept no scanned page once
    a full run with OCR on found it unchanged (Session 13)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("Plain notes about the orchard.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False, ocr_lang="eng")
    formats.scanned_pdf(docs / "scan.pdf", [ENGLISH])
    added = build_index([docs / "scan.pdf"], index=index, progress=False, add=True, ocr=False)
    assert dict(added.skipped) == {"scan.pdf": "PDF has no text layer (scanned? OCR is off)"}
    mixed_pdf(docs / "mixed.pdf")
    build_index([docs / "mixed.pdf"], index=index, progress=False, add=True, ocr=False)
    full = build_index([docs], index=index, progress=False, ocr_lang="eng")
    assert full.added == 1 and full.updated == 1  # scan.pdf; mixed.pdf read again with OCR on
    retriever = Retriever.open(index)
    places = _places(retriever.search("When was the lighthouse lamp repaired?", k=5))
    assert {"scan.pdf §1", "mixed.pdf §2"} <= places  # the same words: one a place of the other
    retriever.close()
    same = build_index([docs], index=index, progress=False, ocr_lang="eng")
    assert (same.updated, same.passages_embedded) == (0, 0)


def test_uploads_are_read_with_the_index_s_ocr_settings(tmp_path):
    """The chat's uploads were read with the default OCR languages whatever the index's:
    with the fix above, each one then made the next full run read every PDF and image again."""
    from qa.layout import current_data
    from qa.store import DB_NAME, Store
    from qa.web_uploads import UploadPolicy, Uploads

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("Plain notes about the orchard.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False, ocr_lang="eng")
    formats.text_image(ENGLISH).save(tmp_path / "photo.png")
    outcome = Uploads(index, UploadPolicy()).add([(str(tmp_path / "photo.png"), "photo.png")])
    assert outcome.added == ["photo.png"]
    assert [p.name.rsplit("-", 1)[1] for p in (index / "ocr-cache").rglob("*.txt")] == ["eng.txt"]
    store = Store(current_data(index) / DB_NAME)
    assert store.meta()["ocr"] == "eng"
    store.close()


def test_a_build_lists_tesseract_s_languages_without_importing_pandas(tmp_path):
    """Every `qa index` asks for Tesseract's languages (the OCR setting it records), OCR or not:
    through pytesseract, which imports pandas, that was half the CPU of an unchanged folder's
    `qa index` (0.78-0.88 -> 0.37-0.44 s on seeds, docs/performance.md "Session 21: build
    throughput"). The languages are pytesseract's own listing, and the index records them as before."""
    import json
    import subprocess
    import sys

    import pytesseract
    from conftest import ROOT

    assert ocr.installed_languages() == tuple(sorted(set(pytesseract.get_languages(config="")) - {"osd", "equ"}))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("Plain notes about the orchard and its pear trees.", encoding="utf-8")
    probe = ("import json, sys; from qa import build_index; from qa.store import Store, DB_NAME; "
             "from qa.layout import current_data; "
             f"build_index([{str(docs)!r}], index={str(tmp_path / 'index')!r}, progress=False); "
             f"meta = Store(current_data({str(tmp_path / 'index')!r}) / DB_NAME).meta(); "
             "print(json.dumps([meta['ocr'], [m for m in ('pytesseract', 'pandas') if m in sys.modules]]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [ocr.default_languages(), []]


def stored_scan(index) -> tuple[str, str]:
    """The text of an index's one document (a scan) and the Tesseract its index records (`ocr_engine`)."""
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    store = Store(current_data(index) / DB_NAME)
    try:
        [(text,)] = store.connection().execute("SELECT text FROM documents").fetchall()
        return text, store.meta()["ocr_engine"]
    finally:
        store.close()


def test_scans_are_read_again_by_another_tesseract_as_a_new_index_would(tmp_path, monkeypatch):
    """An index held what the Tesseract of its first reading read, whatever Tesseract read its scans
    since: an upgraded one (better at what the old one misread) changed nothing, and `--rebuild`
    took the old text back from the OCR cache (kept across it), while a new index read the scans
    anew. The index now records the Tesseract (`ocr_engine`) and reads its scans again with another,
    and the cache names the Tesseract that read each entry. "Another Tesseract" here is the real one
    behind a script that calls itself 9.9.9 and adds a line to what the real one reads."""
    import shutil

    real = shutil.which("tesseract")
    newer = tmp_path / "bin"
    newer.mkdir()
    (newer / "tesseract").write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--version" ]; then echo "tesseract 9.9.9"; exit 0; fi\n'
        f'"{real}" "$@" || exit $?\n'
        'if [ -f "$2.txt" ]; then echo "The newer engine also read the keeper\'s logbook." >> "$2.txt"; fi\n')
    (newer / "tesseract").chmod(0o755)
    path = os.environ["PATH"]

    def use(tesseract_bin: str | None) -> None:  # in this process, as for a `qa serve` running meanwhile
        monkeypatch.setenv("PATH", f"{tesseract_bin}:{path}" if tesseract_bin else path)

    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    formats.text_image(ENGLISH).save(docs / "scan.png")

    def logbook() -> bool:
        text, _ = stored_scan(index)
        assert "lighthouse" in text
        return "logbook" in text

    use(None)
    build_index([docs], index=index, progress=False, ocr_lang="eng")
    assert not logbook()
    use(str(newer))  # Tesseract upgraded; the index rebuilt to read everything again
    assert build_index([docs], index=index, progress=False, ocr_lang="eng", rebuild=True).added == 1
    assert logbook()
    use(None)  # the earlier one back: what it read (its cache entry), not the other's
    report = build_index([docs], index=index, progress=False, ocr_lang="eng")
    assert report.updated == 1 and not logbook()
    use(str(newer))
    report = build_index([docs], index=index, progress=False, ocr_lang="eng")
    assert report.updated == 1 and logbook()
    assert build_index([docs], index=index, progress=False, ocr_lang="eng").unchanged == 1
    retriever = Retriever.open(index)
    assert "logbook" in retriever.search("What did the newer engine read?", k=1)[0].text
    retriever.close()


def test_a_tesseract_upgraded_while_qa_runs_reads_the_scans_of_its_next_build(tmp_path, monkeypatch):
    """A process that runs for long (`qa serve`, whose uploads and whose `qa index` builds run in it)
    asked Tesseract its version once: after an upgrade in place (the same file on `PATH` replaced, as
    a package does), its builds named the new Tesseract's readings by the old one's version, and a
    `--rebuild` took the old one's text back from the OCR cache, recording the old version. The version
    (and `--list-langs`) are asked again when the file is another. "Upgraded" here: a script in front of
    the real Tesseract replaced by one that calls itself 9.9.9 and adds a line to what it reads."""
    import shutil

    real = shutil.which("tesseract")
    folder = tmp_path / "bin"
    folder.mkdir()

    def install(script: str) -> None:
        new = folder / "tesseract.new"
        new.write_text("#!/bin/sh\n" + script)
        new.chmod(0o755)
        os.replace(new, folder / "tesseract")

    install(f'exec "{real}" "$@"\n')
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    formats.text_image(ENGLISH).save(docs / "scan.png")

    build_index([docs], index=index, progress=False, ocr_lang="eng")
    text, engine = stored_scan(index)
    assert "lighthouse" in text and "logbook" not in text and not engine.startswith("tesseract 9.9.9")
    install('if [ "$1" = "--version" ]; then echo "tesseract 9.9.9"; exit 0; fi\n'
            f'"{real}" "$@" || exit $?\n'
            'if [ -f "$2.txt" ]; then echo "The newer engine also read the keeper\'s logbook." >> "$2.txt"; fi\n')
    assert build_index([docs], index=index, progress=False, ocr_lang="eng", rebuild=True).added == 1
    text, engine = stored_scan(index)
    assert "logbook" in text and engine.startswith("tesseract 9.9.9" + ocr.DATA_MARK)


def test_scans_are_read_again_when_the_language_data_changed_under_the_same_tesseract(tmp_path, monkeypatch):
    """Tesseract's language data replaced under the same version (`tessdata_best` over
    `tessdata_fast`, another package's files) read the scans otherwise, but only the version was
    recorded and named the OCR cache's entries: `--rebuild` took the older data's text back from the
    cache, and a full run found nothing to read again. The engine recorded and the cache's names now
    carry each language file's size and time. Here the real data folder is copied
    (`TESSDATA_PREFIX`) and its `eng.traineddata` replaced by Russian's, which reads English letters
    as others."""
    import shutil

    real = ocr.tessdata_folder()
    assert real is not None and (real / "eng.traineddata").is_file() and (real / "rus.traineddata").is_file()
    data = tmp_path / "tessdata"
    shutil.copytree(real, data, ignore=shutil.ignore_patterns("osd.*"))
    monkeypatch.setenv("TESSDATA_PREFIX", str(data))
    assert ocr.tessdata_folder() == data
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    formats.text_image(ENGLISH).save(docs / "scan.png")

    build_index([docs], index=index, progress=False, ocr_lang="eng")
    text, first = stored_scan(index)
    assert "lighthouse" in text and first.startswith(ocr.engine_version() + ocr.DATA_MARK)
    shutil.copy(data / "rus.traineddata", data / "eng.traineddata")  # other data, the same Tesseract
    assert build_index([docs], index=index, progress=False, ocr_lang="eng", rebuild=True).added == 1
    text, second = stored_scan(index)
    assert "lighthouse" not in text and second != first
    shutil.copy2(real / "eng.traineddata", data / "eng.traineddata")  # the earlier data back (its size and time)
    report = build_index([docs], index=index, progress=False, ocr_lang="eng")
    text, third = stored_scan(index)
    assert report.updated == 1 and "lighthouse" in text and third == first
    assert build_index([docs], index=index, progress=False, ocr_lang="eng").unchanged == 1


def test_an_index_that_records_only_the_tesseract_version_is_not_read_again_for_it(tmp_path):
    """An index made before the data's fingerprint was recorded: its scans are not read again (hours
    of OCR for a change that cannot be told), and its record takes the fingerprint at the next run."""
    from qa.indexer import other_engine

    engine = ocr.OcrOptions(lang="eng").engine()
    version = ocr.engine_version()
    assert engine.startswith(version + ocr.DATA_MARK)
    assert not other_engine({"ocr_engine": version}, engine)
    assert other_engine({"ocr_engine": f"{version}.1"}, engine)
    assert other_engine({"ocr_engine": f"{version}{ocr.DATA_MARK}00000000"}, engine)
    assert not other_engine({"ocr_engine": engine}, engine)

    # and the next run records the whole name, reading nothing again (mutants22: never recorded)
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    formats.text_image(ENGLISH).save(docs / "scan.png")
    build_index([docs], index=index, progress=False, ocr_lang="eng")

    def recorded(value: str | None = None) -> str:
        store = Store(current_data(index) / DB_NAME)
        try:
            if value is not None:
                with store.transaction() as conn:
                    store.set_meta(conn, ocr_engine=value)
            return store.meta()["ocr_engine"]
        finally:
            store.close()

    assert recorded() == engine and recorded(version) == version
    assert build_index([docs], index=index, progress=False, ocr_lang="eng").unchanged == 1
    assert recorded() == engine


def test_the_language_data_fingerprint_tells_a_file_of_the_same_size_replaced(tmp_path, monkeypatch):
    """Another `.traineddata` of the same size (another release of the same language's data) is
    another fingerprint: its time tells it (mutants22: sizes alone went unseen)."""
    import shutil

    real = ocr.tessdata_folder()
    data = tmp_path / "tessdata"
    data.mkdir()
    shutil.copy2(real / "eng.traineddata", data / "eng.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(data))
    assert ocr.tessdata_folder() == data
    before = ocr.data_fingerprint("eng")
    stat = (data / "eng.traineddata").stat()
    os.utime(data / "eng.traineddata", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert before is not None and ocr.data_fingerprint("eng") != before
    assert ocr.data_fingerprint("eng+fra") not in (before, None)


def test_a_tesseract_replaced_by_a_file_of_the_same_size_and_time_is_asked_again(tmp_path, monkeypatch):
    """A package manager installs a file with the time it has in the package (dpkg does), and a
    rebuilt Tesseract may be of the same size: only the file's inode tells it is another. Its version
    and its languages are asked again (mutants23: the inode, and the listing's key, went unchecked:
    each replacement of the upgrade test was of another size). Two scripts of the same size, no OCR."""
    folder = tmp_path / "bin"
    folder.mkdir()
    stamp = 1_700_000_000_000_000_000

    def install(version: str, lang: str) -> None:
        new = folder / "tesseract.new"
        new.write_text('#!/bin/sh\nif [ "$1" = "--version" ]; then echo "tesseract ' + version + '"; exit 0; fi\n'
                       f'echo \'List of available languages in "{tmp_path}/" (1):\'\necho {lang}\n')
        new.chmod(0o755)
        os.utime(new, ns=(stamp, stamp))
        os.replace(new, folder / "tesseract")

    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    install("9.9.1", "eng")
    first = os.stat(folder / "tesseract")
    assert ocr.engine_version() == "tesseract 9.9.1" and ocr.installed_languages() == ("eng",)
    install("9.9.2", "fra")
    second = os.stat(folder / "tesseract")
    assert (second.st_size, second.st_mtime_ns) == (first.st_size, first.st_mtime_ns) and second.st_ino != first.st_ino
    assert ocr.engine_version() == "tesseract 9.9.2" and ocr.installed_languages() == ("fra",)
