"""The attachments inside a winmail.dat (TNEF, MS-OXTNEF), read by hand.

Outlook sending a message in its rich-text format to another program wraps the attachments in
one `winmail.dat` (application/ms-tnef) part: without reading it, a report sent so is lost. TNEF
is a list of attributes (level, id, length, data, checksum); an attachment starts with its
rendering attribute, then has its title (an 8.3 name: "RAPPOR~1.PDF"), its data, and its MAPI
properties, where the long file name is (PidTagAttachLongFilename)."""
from __future__ import annotations

import struct
from dataclasses import dataclass

SIGNATURE = 0x223E9F78
LEVEL_ATTACHMENT = 2
# attribute ids (the low word; the high word is the attribute's type)
ATT_RENDDATA, ATT_TITLE, ATT_DATA, ATT_MAPI = 0x9002, 0x8010, 0x800F, 0x9005
LONG_FILENAME = 0x3707
MAX_ATTACHMENTS = 50


@dataclass
class Attachment:
    name: str
    data: bytes


def is_tnef(data: bytes) -> bool:
    return len(data) >= 6 and struct.unpack_from("<I", data)[0] == SIGNATURE


def attachments(data: bytes) -> list[Attachment]:
    """The files a TNEF stream holds, in order; [] for what is not TNEF. A stream cut short
    gives the attachments read before the cut."""
    if not is_tnef(data):
        return []
    found: list[Attachment] = []
    current: dict[str, object] | None = None
    pos = 6  # signature, legacy key
    while pos + 9 <= len(data):
        level = data[pos]
        attribute, length = struct.unpack_from("<II", data, pos + 1)
        start = pos + 9
        if length > len(data) - start:
            break
        value = data[start:start + length]
        pos = start + length + 2  # the checksum
        if level != LEVEL_ATTACHMENT:
            continue
        kind = attribute & 0xFFFF
        if kind == ATT_RENDDATA:
            if current is not None:
                _keep(current, found)
            if len(found) >= MAX_ATTACHMENTS:
                break
            current = {}
        elif current is not None and kind == ATT_TITLE:
            current["title"] = value.split(b"\x00", 1)[0].decode("cp1252", "replace").strip()
        elif current is not None and kind == ATT_DATA:
            current["data"] = value
        elif current is not None and kind == ATT_MAPI:
            long_name = _long_filename(value)
            if long_name:
                current["long"] = long_name
    if current is not None and len(found) < MAX_ATTACHMENTS:
        _keep(current, found)
    return found


def _keep(current: dict, found: list[Attachment]) -> None:
    name = current.get("long") or current.get("title")
    if name and isinstance(current.get("data"), bytes):
        found.append(Attachment(str(name), current["data"]))


_FIXED_SIZES = {0x0002: 2, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000A: 4, 0x000B: 2,
                0x0014: 8, 0x0040: 8, 0x0048: 16}
_VARIABLE = {0x001E, 0x001F, 0x0102, 0x000D}


def _long_filename(props: bytes) -> str | None:
    """PidTagAttachLongFilename from an attachment's MAPI property list, or None (a property of a
    type this does not know ends the reading: the short name is used)."""
    try:
        (count,) = struct.unpack_from("<I", props)
        pos = 4
        for _ in range(min(count, 1000)):
            prop_type, prop_id = struct.unpack_from("<HH", props, pos)
            pos += 4
            if prop_id >= 0x8000:  # a named property: its GUID, then an id or a name
                pos += 16
                (kind,) = struct.unpack_from("<I", props, pos)
                pos += 4
                if kind == 0:
                    pos += 4
                else:
                    (size,) = struct.unpack_from("<I", props, pos)
                    pos += 4 + size + (-size % 4)
            multi = bool(prop_type & 0x1000)
            base = prop_type & 0x0FFF
            values = 1
            if multi or base in _VARIABLE:
                (values,) = struct.unpack_from("<I", props, pos)
                pos += 4
            for _ in range(values):
                if base in _VARIABLE:
                    (size,) = struct.unpack_from("<I", props, pos)
                    raw = props[pos + 4:pos + 4 + size]
                    pos += 4 + size + (-size % 4)
                    if prop_id == LONG_FILENAME and base in (0x001E, 0x001F):
                        text = raw.decode("utf-16-le" if base == 0x001F else "cp1252", "replace")
                        return text.split("\x00", 1)[0].strip() or None
                elif base in _FIXED_SIZES:
                    size = _FIXED_SIZES[base]
                    pos += size + (-size % 4)
                else:
                    return None
    except struct.error:
        return None
    return None
