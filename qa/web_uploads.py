"""Documents added from the browser: saved under `<index>/uploads/` (never where the client
says), checked (type, size, quota, readable) and indexed with `build_index(add=True)`;
only documents added this way can be removed from the page."""
from __future__ import annotations

import filecmp
import hashlib
import os
import re
import shutil
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import QAError
from .readers import SUFFIXES

if TYPE_CHECKING:
    from .store import FileState

UPLOADS = "uploads"
_UNSAFE = re.compile(r"[^\w.\- ()]+")


def _digest(path: str | os.PathLike) -> str:
    """A file's hash as the index records it (`qa.indexer._prepare`)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


class UploadRefused(QAError):
    """An upload that cannot be taken (type, size, quota, unreadable, not allowed)."""


@dataclass
class UploadPolicy:
    enabled: bool = True  # --read-only turns it off
    max_file_mb: float = 32.0
    quota_mb: float = 1024.0


def sanitise(name: str) -> str:
    """The original file name, kept readable but safe: its last path part only, no control or
    shell-special characters, no leading dots, at most 120 characters (suffix kept)."""
    base = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem[:100].strip(" .") or "upload"
    return f"{stem}.{suffix[:16]}" if suffix else stem


@dataclass(frozen=True)
class Reason:
    """Why a file was refused: a key of the page's words (`web_i18n.TEXTS`) and its values."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str = "en") -> str:
        from .web_i18n import t
        from .web_reasons import reason_text

        values = dict(self.values)
        if "why" in values:  # a reader's reason ("no text"), in the page's language when it is a known one
            values["why"] = reason_text(values["why"], lang)
        return t(lang, self.key, **values)


@dataclass
class Outcome:
    added: list[str] = field(default_factory=list)
    refused: list[tuple[str, Reason]] = field(default_factory=list)  # (file name, why)
    unchanged: list[str] = field(default_factory=list)  # dropped again as they were: nothing done
    replaced: list[str] = field(default_factory=list)  # a new version of an earlier upload of that name


class Uploads:
    def __init__(self, index: str | os.PathLike, policy: UploadPolicy) -> None:
        self.index = Path(index)
        self.folder = self.index / UPLOADS
        self.policy = policy
        self._lock = threading.Lock()  # one upload batch at a time (builds are serialised anyway)
        # the names of the files being indexed now, () when none: every tab of the server shows it, and
        # an answer given meanwhile says these are not searched yet (one tuple, swapped whole)
        self.indexing: tuple[str, ...] = ()
        if policy.enabled:
            self.recover()

    def recover(self) -> None:
        """Put back the earlier versions that a server killed while it indexed their new version
        left in `uploads.earlier/` (and the new version's file in their place, not indexed): an
        earlier version the index still holds goes back to its place; one it no longer holds
        (the new version was indexed) goes. The uploads folder then holds what the index does."""
        earlier = self.index / f"{UPLOADS}.earlier"
        try:
            kept = sorted(earlier.iterdir()) if earlier.is_dir() else []
            if not kept:
                return
            indexed = {state.origin: state.hash for state in self._uploaded_states().values()}
            for keep in kept:
                target = os.path.abspath(self.folder / keep.name)
                if keep.is_file() and target in indexed and _digest(keep) == indexed[target]:
                    os.replace(keep, target)
                else:
                    keep.unlink()
        except (OSError, QAError):  # read-only storage, or an index that cannot be read: left as it is
            return

    def used_bytes(self) -> int:
        if not self.folder.is_dir():
            return 0
        return sum(p.stat().st_size for p in self.folder.iterdir() if p.is_file())

    def refusal(self, name: str, size: int, used: int) -> Reason | None:
        suffix = Path(name).suffix.lower()
        if suffix not in SUFFIXES:
            return Reason("why_type", (("suffix", suffix or "(no extension)"), ("formats", " ".join(sorted(SUFFIXES)))))
        if size > self.policy.max_file_mb * 2**20:
            return Reason("why_large", (("mb", f"{size / 2**20:.1f}"), ("limit", f"{self.policy.max_file_mb:g}")))
        if used + size > self.policy.quota_mb * 2**20:
            return Reason("why_quota", (("quota", f"{self.policy.quota_mb:g}"),))
        if size == 0:
            return Reason("why_empty")
        return None

    def _target(self, name: str, taken: set[Path]) -> Path:
        """Where an upload goes: its name; a numbered name only when two files of one batch share it."""
        target = self.folder / sanitise(name)
        n = 2
        while target in taken:
            stem, suffix = os.path.splitext(sanitise(name))
            target = self.folder / f"{stem} ({n}){suffix}"
            n += 1
        return target

    def add(self, files: list[tuple[str, str]], progress=None) -> Outcome:
        """Take uploaded files, (temporary path, original name): save the acceptable ones
        into the uploads folder and index them. Refused files are never kept. A file of the
        name of an earlier upload is that file again: unchanged, nothing is done; else it
        replaces it (the earlier version is put back if the new one is refused)."""
        if not self.policy.enabled:
            raise UploadRefused("adding documents is turned off on this server (--read-only)")
        from .indexer import build_index, recorded_ocr, storage_errors

        outcome = Outcome()
        with self._lock, storage_errors(self.index):  # a full or read-only disk: one clear error
            self.folder.mkdir(parents=True, exist_ok=True)
            used = self.used_bytes()
            # files of the uploads folder that the index holds, with the hash of the content it
            # holds: a later `qa index PATH` without --add takes them out of it (their files stay),
            # and a server killed mid-upload leaves the new version's file beside the older text
            indexed = {state.origin: state.hash for state in self._uploaded_states().values()}
            saved: list[tuple[Path, str]] = []
            earlier: dict[Path, Path] = {}  # replaced upload -> its earlier version, until the new one is indexed
            try:
                for tmp, name in files:
                    shown = sanitise(name)
                    try:
                        size = os.stat(tmp).st_size
                    except OSError:
                        outcome.refused.append((shown, Reason("why_unreadable", (("why", "the upload did not arrive"),))))
                        continue
                    target = self._target(shown, {p for p, _ in saved})
                    old = target.stat().st_size if target.is_file() else 0
                    # an earlier upload's file that the index no longer holds is no earlier version:
                    # the same bytes again are added (not "unchanged"), and it is never put back
                    earlier_indexed = bool(old) and os.path.abspath(target) in indexed
                    if earlier_indexed and indexed[os.path.abspath(target)] == _digest(tmp) \
                            and filecmp.cmp(target, tmp, shallow=False):
                        outcome.unchanged.append(target.name)
                        continue
                    why = self.refusal(shown, size, used - old)
                    if why:
                        outcome.refused.append((shown, why))
                        continue
                    if earlier_indexed:
                        keep = self.index / f"{UPLOADS}.earlier" / target.name
                        keep.parent.mkdir(exist_ok=True)
                        os.replace(target, keep)
                        earlier[target] = keep
                    saved.append((target, shown))  # before the copy: one cut short (a full disk) is taken back
                    shutil.copyfile(tmp, target)
                    used += size - old
                if not saved:
                    return outcome
                if progress:
                    progress(0.05, desc=f"indexing {len(saved)} file(s)")
                self.indexing = tuple(target.name for target, _ in saved)
                try:
                    report = build_index([p for p, _ in saved], index=self.index, add=True, progress=bool(progress),
                                         max_file_mb=self.policy.max_file_mb, **recorded_ocr(self.index))
                finally:
                    self.indexing = ()
            except BaseException:  # not saved or not indexed (a `qa index` running, a full disk...): not kept
                try:
                    kept = set(self.uploaded_sources().values())
                except (OSError, QAError, sqlite3.Error):  # the index cannot be read now: as it was
                    kept = set(indexed)
                for path, _ in saved:
                    if path in earlier:  # the earlier version, still the one indexed, back in its place
                        os.replace(earlier.pop(path), path)
                    elif os.path.abspath(path) not in kept:
                        path.unlink(missing_ok=True)
                raise
            skipped = dict(report.skipped)
            sources = self.uploaded_sources()
            restored = []
            for path, shown in saved:
                source = next((s for s, origin in sources.items() if origin == os.path.abspath(path)), None)
                # a refused file is not in the index: its reason is found by the name the build gave it
                # (relative to the files indexed together); every refusal said "no text" before
                why = skipped.get(source) if source else refusal(report.skipped, path.name)
                if source is None or why:
                    outcome.refused.append((shown, Reason("why_unreadable", (("why", why or "no text"),))))
                    path.unlink(missing_ok=True)
                    if path in earlier:
                        os.replace(earlier.pop(path), path)
                        restored.append(path)
                else:
                    (outcome.replaced if path in earlier else outcome.added).append(source)
                    if path in earlier:
                        earlier.pop(path).unlink()
            if restored:  # the refused new version took the earlier one out of the index: back in
                build_index(restored, index=self.index, add=True, progress=False, max_file_mb=self.policy.max_file_mb,
                            **recorded_ocr(self.index))
        return outcome

    def uploaded_sources(self) -> dict[str, str]:
        """Indexed documents that came from the uploads folder: source -> file (in any shard)."""
        return {source: state.origin for source, state in self._uploaded_states().items()}

    def _uploaded_states(self) -> dict[str, FileState]:
        """`uploaded_sources` with what the index holds of each file (`FileState`)."""
        from .shards import databases
        from .store import Store

        inside = os.path.abspath(self.folder) + os.sep
        found: dict[str, FileState] = {}
        for db in databases(self.index):
            if not db.exists():
                continue
            store = Store(db)
            try:
                found.update((source, state) for source, state in store.file_states().items()
                             if state.origin and state.origin.startswith(inside))
            finally:
                store.close()
        return found

    def remove(self, source: str) -> None:
        """Remove a document added from the page (its passages, vectors and file)."""
        if not self.policy.enabled:
            raise UploadRefused("removing documents is turned off on this server (--read-only)")
        from .indexer import remove_documents

        with self._lock:
            origin = self.uploaded_sources().get(source)
            if origin is None:
                raise UploadRefused(f"{source!r} was not added from the page: only those can be removed here")
            remove_documents(self.index, [origin])  # by its file: no other source can match
            Path(origin).unlink(missing_ok=True)


def refusal(skipped: list[tuple[str, str]], name: str) -> str | None:
    """Why the build passed over the uploaded file `name` (its `skipped` entry), or None."""
    return next((why for source, why in skipped if source == name or source.endswith("/" + name)), None)
