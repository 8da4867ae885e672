"""iCalendar (.ics): meeting invitations and calendar exports, one event a block of text.

A meeting request's time and place are often only in its calendar part (Outlook's invitation
body holds the agenda, not "when" and "where"): each event reads as its summary (a heading),
then "When:", "Where:", "Organizer:" lines and its description, in the words a person writes
them, so that "when is the steering committee?" finds it. The file is parsed by `icalendar`
(RFC 5545: folded lines, escapes, parameters); a time is written as the file gives it, with its
zone's name, not converted."""
from __future__ import annotations

import re
from datetime import date, datetime

from ..records import Document
from .text import UnreadableDocument, decode_text, join_blocks

MAX_EVENTS = 2000


def _when(prop) -> str:
    """"2024-03-12 14:00 UTC", "2024-03-12 14:00 (Europe/Paris)", "2024-03-12"."""
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
        zone = prop.params.get("TZID")
        if zone:
            return f"{text} ({zone})"
        offset = value.utcoffset()
        return f"{text} UTC" if offset is not None and not offset else text
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(prop).strip()


def _span(start: str, end: str) -> str:
    """"2024-03-12 14:00 – 16:00 (Europe/Paris)" for a meeting within a day, else both in full."""
    if len(start) >= 16 and start[:10] == end[:10] and start[16:] == end[16:] and end[13:14] == ":":
        return f"{start[:16]} – {end[11:16]}{start[16:]}"
    return f"{start} – {end}"


def _person(prop) -> str:
    address = re.sub(r"(?i)\Amailto:", "", str(prop).strip())
    name = str(prop.params.get("CN", "")).strip()
    return f"{name} <{address}>" if name and address else name or address


def _text(prop) -> str:
    return "" if prop is None else str(prop).strip()


def _event_pieces(event) -> list[tuple[str, None, bool]]:
    pieces: list[tuple[str, None, bool]] = []
    summary = _text(event.get("SUMMARY"))
    if summary:
        pieces.append((summary, None, True))
    lines = []
    if event.get("DTSTART") is not None:
        when = _when(event["DTSTART"])
        lines.append(f"When: {_span(when, _when(event['DTEND'])) if event.get('DTEND') is not None else when}")
    if _text(event.get("LOCATION")):
        lines.append(f"Where: {_text(event.get('LOCATION'))}")
    if event.get("ORGANIZER") is not None and _person(event["ORGANIZER"]):
        lines.append(f"Organizer: {_person(event['ORGANIZER'])}")
    if lines:
        pieces.append(("\n".join(lines), None, False))
    description = _text(event.get("DESCRIPTION"))
    pieces.extend((paragraph, None, False) for paragraph in re.split(r"\n\s*\n", description) if paragraph.strip())
    return pieces


def read_ics(data: bytes, source: str) -> Document:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(decode_text(data))  # the text's encoding found as for other text files
    except Exception as exc:  # icalendar raises ValueError and others on text that is not iCalendar
        raise UnreadableDocument(f"not a readable calendar ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    # the events at any depth (a VCALENDAR inside another, as some exports nest them), never an
    # alarm's lines (VALARM is a component of the event: `event.get` reads the event's own)
    events = calendar.walk("VEVENT")[:MAX_EVENTS]
    pieces = [piece for event in events for piece in _event_pieces(event)]
    if not pieces:
        raise UnreadableDocument("no events in the calendar")
    text, blocks = join_blocks(pieces)
    name = _text(calendar.get("X-WR-CALNAME"))
    title = name or (_text(events[0].get("SUMMARY")) if len(events) == 1 else None) or source.rsplit("/", 1)[-1]
    return Document(source, text, blocks, title)
