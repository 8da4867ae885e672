"""Zip containers (Office, OpenDocument, EPUB): refused before extraction when they are bombs."""
from __future__ import annotations

import io
import zipfile

from .text import UnreadableDocument

# Real documents stay far below these; a zip bomb (a few KB that inflate to GBs) does not.
MAX_UNCOMPRESSED = 512 * 2**20
MAX_RATIO = 200
MAX_MEMBERS = 20000
_CHUNK = 2**20
# Old binary Office files and encrypted new ones are OLE compound files, not zips.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def check_zip(data: bytes, kind: str) -> None:
    """Raise `UnreadableDocument` unless `data` is a zip that is safe to extract."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise UnreadableDocument(f"password-protected {kind} (save it without a password to index it)")
        raise UnreadableDocument(f"not a valid {kind} (an old binary Office file? save it as {kind})")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnreadableDocument(f"{kind} with {len(members)} parts: refused (a zip bomb?)")
            total = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members)
            if total > MAX_UNCOMPRESSED or (total > 16 * 2**20 and total > MAX_RATIO * max(packed, 1)):
                raise UnreadableDocument(f"{kind} would inflate to {total / 2**20:.0f} MB from "
                                         f"{len(data) / 2**20:.1f} MB: refused (a zip bomb?)")
            for member in members:
                _check_member(archive, member, kind)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableDocument(f"not a valid {kind} ({type(exc).__name__})") from None


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, kind: str) -> None:
    """The sizes above are the headers' word, which a bomb can forge: a part is inflated here a
    chunk at a time, stopping at its stated size, and must then match its checksum. The
    libraries that read it later inflate it whole, whatever its size."""
    try:
        with archive.open(member) as part:
            while part.read(_CHUNK):
                pass
    except zipfile.BadZipFile:
        name = member.filename.encode("unicode_escape").decode("ascii")[:120]  # one line, whatever it holds
        raise UnreadableDocument(f"{kind} whose part {name} does not match its header "
                                 f"(damaged, or a zip bomb?): refused") from None
