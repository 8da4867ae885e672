"""Plain data records that flow through the pipeline."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# A document inside a file (an e-mail's attachment, a mailbox's message) is cited
# "mail.eml › report.pdf" and goes wherever its file goes.
PART_SEPARATOR = " › "


@dataclass(frozen=True)
class Block:
    """A span of a document's extracted text: a paragraph, a heading or a page piece."""

    start: int
    end: int
    page: int | None = None
    heading: bool = False
    # a heading guessed from a short line of plain text (often an option or a label, not a
    # title): it opens its paragraph's passage but names no section (qa/passages.py)
    guessed: bool = False
    # A paragraph that a page break cuts (qa.readers.page_text): (offset, page) of each later
    # page's part; `page` is the first's
    later_pages: tuple[tuple[int, int], ...] = ()
    # a heading's level where its format says it (1 = outermost: HTML h1-h6, .docx "Heading N",
    # ODT outline levels), so that its sections nest as Markdown's do (qa/passages.py)
    level: int | None = None

    def page_at(self, offset: int) -> int | None:
        """The page of the block's text at `offset`."""
        page = self.page
        for start, number in self.later_pages:
            if offset >= start:
                page = number
        return page


@dataclass
class Document:
    """A document's extracted text, its metadata and its block structure."""

    source: str
    text: str
    blocks: list[Block]
    title: str | None = None
    date: str | None = None
    authors: str | None = None
    # format metadata kept with the document: e-mail "from"/"to", "ocr_pages" (pages read by OCR)
    meta: dict[str, Any] = field(default_factory=dict)
    # documents inside this file, each cited as "file › part": e-mail attachments, mbox messages
    parts: list["Document"] = field(default_factory=list)


@dataclass(frozen=True)
class Chunk:
    """A passage before embedding: where it sits in its document."""

    paragraph: int
    start: int
    end: int
    page: int | None = None
    section: str | None = None  # the headings above it, "Billing › Refunds" (qa.passages)


@dataclass
class Answer:
    text: str
    start: int
    end: int
    # a transcript's answer (subtitles): when its sentence is said, "00:12:08", the start of the cue
    # it begins in; a passage of several cues is cited by it (`qa.citations.cue_time`). None elsewhere
    time: str | None = None


# A passage is a "strong match" from this score (fused score, see fusion.py); below it a
# "fair" one, and "weak" is the retriever's own flag. Chosen on the development half of
# XQuAD questions for a top-1 precision of 0.9 (benchmarks/score_labels.py; held-out:
# strong 0.888, fair 0.553).
STRONG_SCORE = 0.326


@dataclass
class Passage:
    """One retrieved passage with everything needed to cite it."""

    rank: int
    score: float
    text: str
    source: str
    paragraph: int
    start: int
    end: int
    page: int | None
    title: str | None
    date: str | None
    answer: Answer | None = None
    id: int | None = None
    doc_id: int | None = None
    lang: str | None = None
    weak: bool = False
    authors: str | None = None
    ocr: bool = False  # the passage's text was read by OCR from a scan or an image
    # Said once per reply (the same on every passage of it), e.g. a question in a language the
    # model does not know: see qa/notices.py.
    notice: str | None = None
    # "changed" or "removed" when the cited file is no longer what was indexed (qa/freshness.py)
    source_changed: str | None = None
    # Other places that hold the same words (a reply quoting this message, a copy of the file),
    # as citations ("mail.mbox › #3 §4"): the search shows them once, here
    also_in: list[str] = field(default_factory=list)
    # the headings above the passage in its document, "Billing › Refunds" (qa/passages.py); None
    # for a passage under no heading, or in an index made before sections were kept
    section: str | None = None
    # the earlier question(s) of the conversation this follow-up was read with (qa/followup.py), or None
    followup_of: str | None = None
    # a later piece of a paragraph cut in several: a table at its start goes on from the piece
    # before, so its first row is a record, not the header (`qa.sentences.headed`)
    continued: bool = False
    # which passage of a paragraph cut in several this one is, and how many (`qa.citations`): cited
    # "§1 (2/3)"; None for a paragraph of one passage (`paragraph` is the paragraph's number either way)
    part: int | None = None
    parts: int | None = None
    # a transcript's passage (subtitles, `qa.readers.subtitles`): the time its first words are said,
    # "00:12:05", which it is cited by instead of a page (`page` is then None)
    time: str | None = None

    @property
    def match(self) -> str:
        """How good a match it is, as the chat labels it: "strong", "fair" or "weak"."""
        return "weak" if self.weak else ("strong" if self.score >= STRONG_SCORE else "fair")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["notice"] is not None:
            d["notice"] = str(d["notice"])  # plain text for JSON (qa.notices.Notice also carries its key)
        # the chat's label, for a script showing what the page shows (the score alone needs STRONG_SCORE)
        d["match"] = self.match
        return d


@dataclass
class BuildReport:
    """What one `build_index` run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    removed_files: list[tuple[str, str]] = field(default_factory=list)  # (source, why it left the index)
    retokenized: int = 0
    identified: int = 0  # passages whose language was identified again (another identifier: `qa.compat.languages_outdated`)
    relabelled: int = 0  # of those, passages re-tokenized for their language or their document's changed
    contexts: int = 0  # documents whose head was embedded for an index made before contexts
    sections: int = 0  # documents whose passages got their sections for an index made before sections
    sentence_tokens: int = 0  # passages whose sentences' tokens were stored for an index made before them
    words: int = 0  # vocabulary words embedded for word translation (qa/word_translation.py)
    passages_embedded: int = 0
    # passages of files read again whose words and sentences had not changed: their stored
    # vectors were kept, not embedded again
    passages_kept: int = 0
    documents: int = 0
    passages: int = 0
    seconds: float = 0.0
    index_type: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped; "
            + (f"{self.identified} passages' languages identified again ({self.relabelled} changed, re-tokenized); "
               if self.identified else "")
            + (f"{self.retokenized} passages re-tokenized; " if self.retokenized else "")
            + (f"{self.contexts} document heads embedded; " if self.contexts else "")
            + (f"{self.sections} documents' sections stored; " if self.sections else "")
            + (f"{self.sentence_tokens} passages' sentence tokens stored; " if self.sentence_tokens else "")
            + f"{self.passages_embedded} passages embedded"
            + (f" ({self.passages_kept} more unchanged kept their vectors)" if self.passages_kept else "")
            + f"; index holds {self.documents} documents, "
            f"{self.passages} passages ({self.seconds:.1f} s)"
            + (f"; vector index: {self.index_type}" if self.index_type else "")
        )
