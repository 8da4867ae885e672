"""iCalendar (.ics): meeting invitations and calendar exports, one event a block of text.

A meeting request's time and place are often only in its calendar part (Outlook's invitation
body holds the agenda, not "when" and "where"): each event reads as its summary (a heading),
then "When:", "Where:", "Organizer:" lines and its description, in the words a person writes
them, so that "when is the steering committee?" finds it. RFC 5545 is read by hand: lines
unfolded, values unescaped; the time is written as the file gives it (with its zone's name)."""
from __future__ import annotations

import re

from ..records import Document
from .text import UnreadableDocument, decode_text, join_blocks

# an event's lines people read, in this order, beside its SUMMARY (heading) and DESCRIPTION
_FIELDS = (("DTSTART", "When"), ("LOCATION", "Where"), ("ORGANIZER", "Organizer"))
_DATE_TIME = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?\Z")
MAX_EVENTS = 2000


def unfolded(text: str) -> list[str]:
    """The content lines of an iCalendar text: a line break followed by a space or a tab continues
    the line before (RFC 5545 3.1)."""
    return re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n")).split("\n")


def _unescape(value: str) -> str:
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _parse(line: str) -> tuple[str, dict[str, str], str] | None:
    """(NAME, {PARAM: value}, value) of a content line (a colon inside a quoted parameter kept)."""
    m = re.match(r'([A-Za-z0-9-]+)((?:;[^:;"]+=(?:"[^"]*"|[^:;"]*))*):(.*)\Z', line)
    if not m:
        return None
    params = {}
    for param in re.findall(r';([^=;]+)=("[^"]*"|[^:;]*)', m.group(2)):
        params[param[0].upper()] = param[1].strip('"')
    return m.group(1).upper(), params, m.group(3)


def _when(value: str, params: dict[str, str]) -> str:
    """"2024-03-12 14:00 UTC", "2024-03-12 14:00 (Europe/Paris)", "2024-03-12"."""
    m = _DATE_TIME.match(value.strip())
    if not m:
        return value.strip()
    year, month, day, hour, minute, _, utc = m.groups()
    text = f"{year}-{month}-{day}"
    if hour:
        text += f" {hour}:{minute}"
        if utc:
            text += " UTC"
        elif params.get("TZID"):
            text += f" ({params['TZID']})"
    return text


def _span(start: str, end: str) -> str:
    """"2024-03-12 14:00 – 16:00 (Europe/Paris)" for a meeting within a day, else both in full."""
    if len(start) >= 16 and start[:10] == end[:10] and start[16:] == end[16:] and end[13:14] == ":":
        return f"{start[:16]} – {end[11:16]}{start[16:]}"
    return f"{start} – {end}"


def _person(value: str, params: dict[str, str]) -> str:
    address = re.sub(r"(?i)\Amailto:", "", value.strip())
    name = params.get("CN", "").strip()
    return f"{name} <{address}>" if name and address else name or address


def read_ics(data: bytes, source: str) -> Document:
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    depth = 0  # inside a VALARM or another component of the event: its lines are not the event's
    calendar_name = None
    for line in unfolded(decode_text(data)):
        parsed = _parse(line)
        if parsed is None:
            continue
        name, params, value = parsed
        if name == "BEGIN":
            if value.strip().upper() == "VEVENT" and current is None:
                current, depth = {}, 0
            elif current is not None:
                depth += 1
            continue
        if name == "END":
            if current is not None and depth == 0 and value.strip().upper() == "VEVENT":
                events.append(current)
                current = None
                if len(events) >= MAX_EVENTS:
                    break
            elif current is not None:
                depth -= 1
            continue
        if current is None:
            if name == "X-WR-CALNAME":
                calendar_name = _unescape(value).strip() or None
            continue
        if depth or name in current:
            continue
        if name in ("DTSTART", "DTEND"):
            current[name] = _when(value, params)
        elif name == "ORGANIZER":
            current[name] = _person(value, params)
        else:
            current[name] = _unescape(value).strip()
    pieces: list[tuple[str, None, bool]] = []
    for event in events:
        if event.get("SUMMARY"):
            pieces.append((event["SUMMARY"], None, True))
        lines = []
        for key, label in _FIELDS:
            if event.get(key):
                value = event[key]
                if key == "DTSTART" and event.get("DTEND"):
                    value = _span(value, event["DTEND"])
                lines.append(f"{label}: {value}")
        if lines:
            pieces.append(("\n".join(lines), None, False))
        description = event.get("DESCRIPTION", "")
        pieces.extend((paragraph, None, False) for paragraph in re.split(r"\n\s*\n", description) if paragraph.strip())
    if not pieces:
        raise UnreadableDocument("no events in the calendar")
    text, blocks = join_blocks(pieces)
    title = calendar_name or (events[0].get("SUMMARY") if len(events) == 1 else None) or source.rsplit("/", 1)[-1]
    return Document(source, text, blocks, title)
