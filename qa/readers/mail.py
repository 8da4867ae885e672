"""E-mail (.eml, Outlook .msg) and mailboxes (.mbox): one message a document, attachments as parts."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Iterator

from ..records import PART_SEPARATOR as SEPARATOR, Document
from . import tnef
from .html import html_pieces, parse_html
from .text import UnreadableDocument, check_text, decode_text, join_blocks, paragraph_blocks

# A part's citation: "mail.eml › report.pdf", "box.mbox › #12 › report.pdf".
# Messages of a mailbox beyond this many are left out (and said so in the listing).
MAX_MESSAGES = 20_000
MAX_ATTACHMENTS = 50

# MAPI's PidTagClientSubmitTime (MS-OXOMSG): when the sender sent it; PidTagRtfCompressed
# (MS-OXCMSG): the body of a message written in Outlook's RTF format, which may be its only body
CLIENT_SUBMIT_TIME = 0x0039
RTF_COMPRESSED = 0x1009
# Exchange's own addresses ("/O=ORG/OU=.../CN=LEA", address type "EX") and the SMTP ones a file
# keeps beside them: PidTagSenderAddressType, PidTagSenderEmailAddress, PidTagSenderSmtpAddress,
# a recipient's PidTagSmtpAddress; PidTagSenderName and PidTagDisplayTo (names)
SENDER_ADDRESS_TYPE, SENDER_EMAIL_ADDRESS, SENDER_SMTP_ADDRESS, SMTP_ADDRESS = 0x0C1E, 0x0C1F, 0x5D01, 0x39FE
SENDER_NAME, DISPLAY_TO = 0x0C1A, 0x0E04

ReadPart = Callable[[Path, str, bytes], Document]

# The quote markers of a reply's quoted lines ("> ", ">> ", "> > "), from the line's start.
_QUOTE = re.compile(r"^(?:[ \t]?>)+[ \t]?")


def unquote(body: str) -> str:
    """`body` with the quote markers of its quoted lines taken off, and a blank line wherever the
    quoting depth changes. A reply quotes the message it answers line by line: unquoted, its
    paragraphs are that message's paragraphs again, word for word, so that the search shows the
    two as one passage (`qa.retrieval.make_passages`) instead of the same words twice, and the
    quoted paragraphs are not one block cut anywhere."""
    lines: list[str] = []
    depth = 0
    for line in body.split("\n"):
        marker = _QUOTE.match(line)
        level = marker.group().count(">") if marker else 0
        text = line[marker.end():] if marker else line
        if text.strip() and level != depth:
            if lines and lines[-1].strip():
                lines.append("")
            depth = level
        lines.append(text)
    return "\n".join(lines)


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
        if value is not None and "\ufffd" in str(value):
            value = _raw_header(message, name) or value
    except Exception:  # a malformed header: no value rather than no message
        return None
    return " ".join(str(value).split()) or None if value is not None else None


def _raw_header(message: EmailMessage, name: str) -> str | None:
    """A header written in 8-bit bytes instead of RFC 2047's encoded words (older mailers write
    Windows-1252 or Latin-1 subjects and names so), decoded as files of unknown encoding are: the
    e-mail package reads such bytes as UTF-8 and replaces what is not."""
    for key, raw in message.raw_items():
        if key.lower() == name.lower() and isinstance(raw, str):
            data = raw.encode("utf-8", "surrogateescape")
            if not data.isascii():
                return decode_text(data)
    return None


def _date(message: EmailMessage) -> str | None:
    value = _header(message, "Date")
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _content(part) -> str:
    """A text part's text. A part whose bytes are not in the charset it declares (8-bit text
    declared us-ascii, or no charset at all, as older mailers and mailing lists send it) comes
    out of `get_content` with "\ufffd" for every accented letter: its bytes are decoded as
    files of unknown encoding are (UTF-8, else Windows-1252 or detected) when that reads better."""
    try:
        content = part.get_content()
    except Exception:  # an unknown charset or transfer encoding: decode the bytes ourselves
        content = None
    if content is not None and "\ufffd" not in content:
        return content
    try:
        payload = part.get_payload(decode=True) or b""
    except Exception:
        return content or ""
    if not isinstance(payload, bytes):
        return content if content is not None else str(payload)
    decoded = decode_text(payload)
    return decoded if content is None or decoded.count("\ufffd") < content.count("\ufffd") else content


def _body(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return ""
    content = _content(part)
    if part.get_content_subtype() == "html":
        return "\n\n".join(text for text, _ in html_pieces(parse_html(content)))
    return content


def read_message(message: EmailMessage, source: str, read_part: ReadPart,
                 names: dict[str, str] | None = None) -> Document:
    """`names`: From and To as plain names, for a message whose headers lack them (an .msg's
    senders and recipients known by name only: an address header would quote or cut them)."""
    subject = _header(message, "Subject")
    body = unquote(_body(message).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))
    sender = _header(message, "From") or (names or {}).get("From")
    to = _header(message, "To") or (names or {}).get("To")
    # the headers a reader of the message sees lead its text, so that "what did Alice write
    # about..." finds it; the subject is its heading
    head = "\n".join(f"{name}: {value}" for name, value in (("From", sender), ("To", to)) if value)
    pieces = [(subject, None, True)] if subject else []
    if head:
        pieces.append((head, None, False))
    text, blocks = join_blocks(pieces)
    if body.strip():
        start = len(text) + 2 if text else 0
        text = (text + "\n\n" if text else "") + body
        blocks += paragraph_blocks(text, start)
    if not text.strip():
        raise UnreadableDocument("e-mail without text")
    doc = Document(source, text, blocks, subject, _date(message), sender,
                   {k: v for k, v in (("from", sender), ("to", to)) if v})
    doc.parts = _attachments(message, source, read_part)
    return doc


def _attachments(message: EmailMessage, source: str, read_part: ReadPart) -> list[Document]:
    parts: list[Document] = []
    names: set[str] = set()
    for name, read_as, payload in _files(message):
        unique, n = name, 1
        while unique in names:
            n += 1
            unique = f"{Path(name).stem} ({n}){Path(name).suffix}"
        names.add(unique)
        try:
            parts.append(read_part(read_as, source + SEPARATOR + unique, payload))
        except UnreadableDocument:
            continue  # an attachment we cannot read is not a reason to drop the message
        if len(parts) >= MAX_ATTACHMENTS:
            break
    return parts


def _files(message: EmailMessage) -> Iterator[tuple[str, Path, bytes]]:
    """(name to cite, name to read it as, bytes) of each file the message carries: its
    attachments, a forwarded message (read as .eml), a meeting request's calendar, and the files
    Outlook wrapped in a winmail.dat (TNEF), each under its own name."""
    try:
        attachments = list(message.iter_attachments())
    except Exception:
        return
    for attachment in (attachments + _calendar_parts(message))[:MAX_ATTACHMENTS]:
        name = Path(attachment.get_filename() or ("invite.ics" if _is_calendar(attachment) else "")).name
        if not name:
            continue
        try:
            read_as = Path(name)
            if attachment.get_content_type() == "message/rfc822":  # a forwarded message (an .msg's embedded one)
                inner = attachment.get_payload()  # the parsed message, or its encoded bytes
                payload = bytes(inner[0]) if isinstance(inner, list) and inner else attachment.get_payload(decode=True)
                read_as = read_as.with_suffix(".eml")
            else:
                payload = attachment.get_payload(decode=True)
        except Exception:  # a damaged part: the others still
            continue
        if not isinstance(payload, bytes):
            continue
        if attachment.get_content_type() == "application/ms-tnef" or name.lower() == "winmail.dat":
            for inner_file in tnef.attachments(payload):
                inner_name = Path(inner_file.name.replace("\\", "/")).name
                if inner_name:
                    yield inner_name, Path(inner_name), inner_file.data
            continue
        yield name, read_as, payload


def _is_calendar(part) -> bool:
    return part.get_content_type() in ("text/calendar", "application/ics")


def _calendar_parts(message: EmailMessage) -> list:
    """A meeting request's calendar: Outlook and Exchange send it as an alternative to the body
    (text/calendar beside text/plain and text/html), which is no attachment, and which alone says
    when and where the meeting is."""
    found, queue = [], [message]
    try:
        while queue and len(found) < MAX_ATTACHMENTS:
            part = queue.pop(0)
            if part.get_content_maintype() == "multipart":  # not into a forwarded message: its own
                queue.extend(part.iter_parts())
            elif _is_calendar(part) and not part.is_attachment():
                found.append(part)
    except Exception:  # a malformed structure: the attachments found without it
        return []
    return found


def read_eml(data: bytes, source: str, read_part: ReadPart) -> Document:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.keys():
        raise UnreadableDocument("not an e-mail (no headers)")
    return read_message(message, source, read_part)


def read_msg(data: bytes, source: str, read_part: ReadPart) -> Document:
    """An Outlook .msg, as the e-mail it stands for (aspose-email-foss converts it), read like an .eml."""
    from aspose.email_foss.cfb import CFBReader
    from aspose.email_foss.msg import MapiMessage, MsgDocument, MsgReader, PropertyTypeCode

    from .legacy import OLE_MAGIC

    if not data.startswith(OLE_MAGIC):
        raise UnreadableDocument("not an Outlook .msg (no OLE2 header)")
    try:
        with MsgReader(CFBReader(data)) as reader:
            mapi = MapiMessage.from_msg_document(MsgDocument.from_reader(reader))
        rtf_text = "" if (mapi.body or "").strip() or (mapi.body_html or "").strip() else _rtf_body(mapi)
        if rtf_text.strip():
            mapi.body = rtf_text
        _exchange_to_smtp(mapi)
        message = mapi.to_email_message()
        # whoever has no address left is still named
        names = {header: value for header, value in (("From", _property_text(mapi.properties, SENDER_NAME)),
                                                     ("To", _property_text(mapi.properties, DISPLAY_TO))) if value}
        # a message never sent (a draft, a saved copy) has no delivery time: its submit time, if any
        submitted = mapi.properties.get(CLIENT_SUBMIT_TIME, int(PropertyTypeCode.PTYP_TIME))
        if "Date" not in message and submitted is not None and isinstance(submitted.value, dt.datetime):
            message["Date"] = email.utils.format_datetime(submitted.value)
    except Exception as exc:  # CFBError, MsgError, struct.error, UnicodeDecodeError... on a damaged file
        raise UnreadableDocument(f"not a valid .msg ({type(exc).__name__})") from None
    return read_message(message, source, read_part, names)


def _property_text(properties, property_id: int) -> str | None:
    prop = properties.get(property_id)
    return (prop.value.strip() or None) if prop is not None and isinstance(prop.value, str) else None


def _smtp(properties, property_id: int) -> str | None:
    value = _property_text(properties, property_id)
    return value if value and "@" in value and not value.startswith("/") else None  # writers copy the X.500 one


def _exchange_to_smtp(mapi) -> None:
    """Exchange addresses give way to the SMTP ones the file keeps beside them (or to none)."""
    from aspose.email_foss.msg import PropertyTypeCode

    if (_property_text(mapi.properties, SENDER_ADDRESS_TYPE) or "").upper() == "EX":
        smtp = _smtp(mapi.properties, SENDER_SMTP_ADDRESS)
        mapi.properties.remove(SENDER_EMAIL_ADDRESS)
        if smtp:
            mapi.set_property(SENDER_EMAIL_ADDRESS, PropertyTypeCode.PTYP_STRING, smtp)
    for recipient in mapi.recipients:
        if (recipient.address_type or "").upper() == "EX":
            recipient.email_address = _smtp(recipient.properties, SMTP_ADDRESS)


def _rtf_body(mapi) -> str:
    """The text of a message's compressed RTF body ("" without one)."""
    from aspose.email_foss.msg import PropertyTypeCode
    from compressed_rtf import decompress
    from striprtf.striprtf import rtf_to_text

    prop = mapi.properties.get(RTF_COMPRESSED, int(PropertyTypeCode.PTYP_BINARY))
    if prop is None or not isinstance(prop.value, bytes):
        return ""

    try:  # LZ77 with a 4 KB window: the RTF is at most 8.5 times the compressed bytes
        rtf = decompress(prop.value).decode("latin-1")
        return rtf_to_text(rtf, errors="ignore").replace("\r\n", "\n")
    except Exception:  # a damaged RTF body: the message without its body rather than no message
        return ""


# A line that starts a message in an mbox (the "From " line `mailbox.mbox` cuts at).
_FROM_LINE = re.compile(rb"^From ", re.MULTILINE)


def mbox_messages(data: bytes) -> Iterator[bytes]:
    """An mbox's messages from its bytes, cut where `mailbox.mbox` cuts them, each without its
    "From " line. From the bytes, not the file: the indexer hashes the bytes it read, and a second
    read of the path could find a mailbox rewritten since (same second, same size), whose text
    would then be stored under the older hash until the file next changed."""
    starts = [match.start() for match in _FROM_LINE.finditer(data)]
    for start, following in zip(starts, starts[1:] + [len(data) + 1]):
        stop = min(following, len(data))
        if data.endswith(b"\n\n", 0, stop):
            stop -= 1  # the blank line before the next "From " line (or the end) is the box's, not the message's
        line_end = data.find(b"\n", start, stop)
        yield b"" if line_end < 0 else data[line_end + 1:stop]


def read_mbox(data: bytes, name: str, source: str, read_part: ReadPart) -> Document:
    """The mailbox's listing (one line a message) with each message as a part."""
    box = (email.message_from_bytes(raw, policy=email.policy.default) for raw in mbox_messages(data))
    lines: list[str] = []
    parts: list[Document] = []
    try:
        for number, message in enumerate(box, start=1):
            if number > MAX_MESSAGES:
                lines.append(f"(messages after #{MAX_MESSAGES} are not indexed)")
                break
            try:
                doc = read_message(message, f"{source}{SEPARATOR}#{number}", read_part)
            except UnreadableDocument:
                continue
            parts.append(doc)
            lines.append(" · ".join(v for v in (f"#{number}", doc.date, doc.authors, doc.title) if v))
    except (OSError, ValueError) as exc:
        raise UnreadableDocument(f"not a readable mailbox ({type(exc).__name__})") from None
    if not parts:
        raise UnreadableDocument("no messages in the mailbox")
    text = check_text("\n\n".join("\n".join(lines[i:i + 20]) for i in range(0, len(lines), 20)), source)
    doc = Document(source, text, paragraph_blocks(text), f"{name}: {len(parts)} messages",
                   meta={"messages": len(parts)})
    doc.parts = parts
    return doc
