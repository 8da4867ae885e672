"""Optical character recognition with Tesseract, cached by content hash."""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import QAError

# An image above this many pixels is refused before it is decoded (a 20,000 x 20,000
# "decompression bomb" would take 1.2 GB as RGB); an A4 page at 300 dpi has 8.7 M.
MAX_PIXELS = 60_000_000
# Scanned pages are rendered at this resolution: Tesseract's accuracy drops below ~200 dpi.
DPI = 300
# The default languages when --ocr-lang is not given: the installed ones among these,
# in this order, at most `DEFAULT_MAX` (each language slows Tesseract down).
PREFERRED = ("eng", "fra", "deu", "spa", "ita", "por", "nld", "rus", "chi_sim", "ara")
DEFAULT_MAX = 3
# Seconds Tesseract may spend on one page before the page is given up.
PAGE_TIMEOUT = 180


class OcrError(QAError):
    pass


@dataclass(frozen=True)
class OcrOptions:
    """How readers use OCR: on or off, its languages ("fra+eng"), and where results are cached."""

    enabled: bool = True
    lang: str | None = None
    cache: Path | None = None
    progress: bool = False  # a line on stderr per page read (OCR is slow: ~1-7 s a page)

    def engine(self) -> str | None:
        """What reads the pages when OCR runs: the Tesseract (`engine_version`) and the language data
        it reads them with (`data_fingerprint`: `tessdata_best` over `tessdata_fast` under the same
        Tesseract reads them otherwise too), None when it does not."""
        setting = self.setting()
        if setting in ("off", "unavailable"):
            return None
        return engine_name(engine_version(), data_fingerprint(setting))

    def languages(self) -> str:
        return check_languages(self.lang) if self.lang else default_languages()

    def setting(self) -> str:
        """What decides the text OCR gives: "off", "unavailable" or the languages ("eng+fra")."""
        if not self.enabled:
            return "off"
        if not available():
            return "unavailable"
        try:
            return self.languages()
        except OcrError:  # no language data: every page fails, as without Tesseract
            return "unavailable"


def available() -> bool:
    return shutil.which("tesseract") is not None


def _binary() -> tuple[str, int, int, int] | None:
    """The Tesseract that `PATH` finds and its file's size, time and inode, None without one: what
    is asked of it is asked again once it is another file (upgraded while `qa serve` runs for weeks,
    or another earlier on `PATH`), not taken for the one asked before."""
    found = shutil.which("tesseract")
    try:
        st = os.stat(found) if found else None
    except OSError:
        return None
    return (found, st.st_size, st.st_mtime_ns, st.st_ino) if st else None


def engine_version() -> str | None:
    """The first line of `tesseract --version` ("tesseract 5.3.0"), None without Tesseract."""
    binary = _binary()
    return _version(binary) if binary else None


@functools.lru_cache(maxsize=4)
def _version(binary: tuple[str, int, int, int]) -> str | None:
    try:
        out = subprocess.run([binary[0], "--version"], capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = (out.stdout or out.stderr).decode("utf-8", "replace").strip().splitlines()
    return " ".join(lines[0].split()) if lines else None


# Between the Tesseract's version and its language data's fingerprint in an engine's name
# ("tesseract 5.3.0 data 1f0c2a9e"); an index made before session 21 records the version alone.
DATA_MARK = " data "


def engine_name(version: str | None, fingerprint: str | None) -> str | None:
    if version is None or not fingerprint:
        return version
    return f"{version}{DATA_MARK}{fingerprint}"


def same_engine(recorded: str, engine: str) -> bool:
    """Whether pages read by `recorded` (an index's `ocr_engine`) read as `engine` reads them. A
    record without the data's fingerprint (an older qa's) is taken at its Tesseract's version: its
    data cannot be told, and reading every scan again for that alone would cost hours of OCR."""
    if DATA_MARK not in recorded:
        return recorded == engine.split(DATA_MARK)[0]
    return recorded == engine


def data_fingerprint(languages: str) -> str | None:
    """A short fingerprint of the language data files `languages` ("eng+fra") are read with: each
    `.traineddata`'s size and modification time (a stat each, not a read of tens of MB), None
    where Tesseract does not say where its data is (3.x)."""
    folder = tessdata_folder()
    if folder is None:
        return None
    import hashlib

    seen = []
    for lang in languages.split("+"):
        try:
            st = (folder / f"{lang}.traineddata").stat()
            seen.append(f"{lang}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            seen.append(f"{lang}:-")
    return hashlib.blake2b("+".join(seen).encode(), digest_size=4).hexdigest()


def missing_reason() -> str:
    return "needs OCR, but Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng; see README)"


# A line of `tesseract --list-langs` that names a language (as pytesseract reads them), and its
# first line, which names the data's folder (Tesseract 4 and 5)
_LANGUAGE_LINE = re.compile("^[a-z_]+$")
_FOLDER_LINE = re.compile(r'^List of available languages in "(.+)"')


def installed_languages() -> tuple[str, ...]:
    """Tesseract's language data, as `pytesseract.get_languages` lists them, read without
    importing pytesseract: it imports pandas (~0.3 s CPU), and every `qa index` asks for the
    languages (`OcrOptions.setting`), OCR or not. A Tesseract that cannot be run has none."""
    return _listing(os.environ.get("TESSDATA_PREFIX"), _binary())[1]


def tessdata_folder() -> Path | None:
    """The folder Tesseract reads its language data from, as it says; None if it does not."""
    return _listing(os.environ.get("TESSDATA_PREFIX"), _binary())[0]


@functools.lru_cache(maxsize=4)
def _listing(prefix: str | None, binary: tuple[str, int, int, int] | None) -> tuple[Path | None, tuple[str, ...]]:
    """`tesseract --list-langs` read once per data folder (`TESSDATA_PREFIX`) and Tesseract (`_binary`)."""
    if binary is None:
        return None, ()
    try:
        result = subprocess.run([binary[0], "--list-langs"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    except OSError:
        return None, ()
    if result.returncode not in (0, 1):  # 1: tesseract 3.x
        return None, ()
    lines = result.stdout.decode("utf-8", "replace").split(os.linesep)
    found = {line.strip() for line in lines}
    folder = next((Path(m.group(1)) for m in map(_FOLDER_LINE.match, lines) if m), None)
    return folder, tuple(sorted({lang for lang in found if _LANGUAGE_LINE.match(lang)} - {"osd", "equ"}))


def default_languages() -> str:
    installed = installed_languages()
    chosen = [lang for lang in PREFERRED if lang in installed][:DEFAULT_MAX] or list(installed[:DEFAULT_MAX])
    if not chosen:
        raise OcrError("Tesseract has no language data: apt-get install tesseract-ocr-eng (or another language)")
    return "+".join(chosen)


def check_languages(lang: str) -> str:
    """`lang` ("fra+eng") if every language is installed, else a one-line error that lists them."""
    wanted = [part for part in lang.replace(",", "+").split("+") if part]
    installed = installed_languages()
    missing = [part for part in wanted if part not in installed]
    if not wanted or missing:
        raise OcrError(f"OCR language(s) {'+'.join(missing) or repr(lang)} not installed; installed: "
                       f"{'+'.join(installed) or 'none'} (Debian: apt-get install tesseract-ocr-LANG)")
    return "+".join(wanted)


def recognise(key: str, render: Callable[[], "object"], options: OcrOptions, label: str = "") -> str:
    """The text of the image that `render()` returns, from the cache when `key` (a hash of
    the file and the page) was read before with the same languages by the same Tesseract and
    language data."""
    lang = options.languages()
    # the engine in the name: after Tesseract or its language data changed, a file read again (and
    # `--rebuild`) gets what this one reads, as a new index would, not the earlier one's text
    engine = engine_name(engine_version(), data_fingerprint(lang)) or ""
    engine = engine.replace("tesseract", "").strip().replace("/", "_").replace(" ", "_")
    cached = options.cache / key[:2] / f"{key}-t{engine}-{lang}.txt" if options.cache else None
    if cached is not None:
        try:
            return cached.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass  # not cached, or an entry that cannot be read: the cache only saves time
    import pytesseract

    # Tesseract's own OpenMP threads cost more than they give on page-sized images, and
    # parsing already runs beside the encoder's threads.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    started = time.perf_counter()
    image = render()
    try:
        text = pytesseract.image_to_string(image, lang=lang, timeout=PAGE_TIMEOUT)
    except pytesseract.TesseractError as exc:
        raise OcrError(f"OCR failed ({' '.join(str(exc.message).split())[:200]})") from None
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrError(f"OCR gave up on a page ({exc})") from None
    text = text.replace("\x0c", "").strip()
    if options.progress:
        from tqdm import tqdm

        tqdm.write(f"OCR {label or key} ({lang}): {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if cached is not None:
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, cached)
        except OSError:  # a cache that cannot be written must not cost the text just read
            tmp.unlink(missing_ok=True)
    return text
