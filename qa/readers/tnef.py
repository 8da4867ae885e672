"""The attachments inside a winmail.dat (TNEF, MS-OXTNEF), read with `tnefparse`.

Outlook sending a message in its rich-text format to another program wraps the attachments in
one `winmail.dat` (application/ms-tnef) part: without reading it, a report sent so is lost. Each
attachment is named by its long file name (a MAPI property) when it has one, else by its 8.3
title ("RAPPOR~1.PDF")."""
from __future__ import annotations

from dataclasses import dataclass

SIGNATURE = b"\x78\x9f\x3e\x22"
MAX_ATTACHMENTS = 50


@dataclass
class Attachment:
    name: str
    data: bytes


def is_tnef(data: bytes) -> bool:
    return data[:4] == SIGNATURE


def attachments(data: bytes) -> list[Attachment]:
    """The files a TNEF stream holds, in order; [] for what is not TNEF or cannot be parsed."""
    if not is_tnef(data):
        return []
    from tnefparse import TNEF

    try:
        parsed = TNEF(data)
    except Exception:  # a damaged stream: tnefparse raises ValueError, struct.error, IndexError
        return []
    found = []
    for attachment in parsed.attachments[:MAX_ATTACHMENTS]:
        try:
            name = attachment.long_filename() or attachment.name
        except Exception:  # an attachment without a usable name or title
            continue
        if isinstance(name, bytes):
            name = name.decode("cp1252", "replace")
        name = str(name).split("\x00", 1)[0].strip()
        if name and isinstance(attachment.data, bytes):
            found.append(Attachment(name, attachment.data))
    return found
