"""The functions behind the chat page and its API, over one open `Retriever` (no layout here:
`qa/web.py` builds the page from them)."""
from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import parse_qs

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from .compat import languages_outdated  # noqa: E402
from .errors import QAError  # noqa: E402
from .filters import as_where, choices, merge_choices  # noqa: E402
from .render import (attr, document_list, document_panel, error_reply, escape_text, filters_line, fold_earlier,
                     reply, share_query, turn)  # noqa: E402
from .retrieval import MAX_QUESTION_CHARS, Retriever, question_cut, refreshed, searched_part  # noqa: E402
from .web_examples import MAX_EXAMPLES, examples_from  # noqa: E402
from .web_i18n import error_text, pick_lang, t  # noqa: E402
from .web_security import model_label  # noqa: E402
from .web_uploads import UploadRefused, Uploads  # noqa: E402

K_SLIDER_MAX = 20
# Questions of a tab's conversation asked again when the page is reloaded (the latest ones).
RESTORED_TURNS = 30


def _lang(request) -> str:
    return pick_lang(request.headers.get("accept-language") if request is not None else None)


class ChatApp:
    """The functions behind the page and its API, over one open `Retriever`."""

    def __init__(self, retriever: Retriever, uploads: Uploads | None = None, loopback: bool = True) -> None:
        self.retriever = retriever
        self.uploads = uploads
        self.loopback = loopback
        self._listing: tuple | None = None

    def refresh(self) -> None:
        """What `qa index` wrote since: the reader moves to it, or is replaced by one of its kind."""
        self.retriever = refreshed(self.retriever)

    # ------------------------------------------------------------ documents added from the page

    def upload_refusal(self, username: str | None) -> str | None:
        """Why this client may not add documents, or None."""
        if self.uploads is None or not self.uploads.policy.enabled:
            return "uploads_off"
        if not self.loopback and not username:
            return "login_needed"
        return None

    def add_files(self, files: list[tuple[str, str]], username: str | None, lang: str, progress=None) -> str:
        """Index uploaded files (temporary path, original name); a status line (Markdown)."""
        why = self.upload_refusal(username)
        if why:
            raise UploadRefused(t(lang, why))
        outcome = self.uploads.add(files, progress)
        self.refresh()
        lines = []
        for key in ("added", "replaced", "unchanged"):
            if getattr(outcome, key):
                lines.append(t(lang, key, names=", ".join(getattr(outcome, key))))
        lines += [t(lang, "refused", name=name, why=why.text(lang)) for name, why in outcome.refused]
        return "\n\n".join(lines)  # names are sanitised (letters, digits, . - _ ( ) and spaces)

    def indexing_names(self) -> tuple[str, ...]:
        """The files an upload is indexing now (any tab's), () when none."""
        return self.uploads.indexing if self.uploads is not None else ()

    def indexing_html(self, lang: str) -> str:
        """The page's status line while an upload is indexed: "Indexing report.pdf…", or nothing."""
        names = self.indexing_names()
        return indexing_line(lang, names) if names else ""

    def remove_file(self, source: str, username: str | None, lang: str) -> str:
        why = self.upload_refusal(username)
        if why:
            raise UploadRefused(t(lang, why))
        self.uploads.remove(source)
        self.refresh()
        return t(lang, "removed", name=source)

    def documents_html(self, lang: str) -> tuple[str, list[str]]:
        """The document list (HTML) and the sources that can be removed from the page, computed
        again only when the index changed."""
        key = (self.retriever.identity, self.retriever.generation, lang)
        cached = self._listing
        if cached is None or cached[0] != key:
            uploaded = set(self.uploads.uploaded_sources()) if self.uploads is not None else set()
            cached = (key, document_list(self.retriever.store.documents(), uploaded, lang), sorted(uploaded))
            self._listing = cached
        return cached[1], cached[2]

    # ------------------------------------------------------------ API

    def ask(self, question: str, k: int = 5, filters: dict | None = None, previous: list[str] | None = None
            ) -> list[dict[str, Any]]:
        """Search the indexed documents: the best `k` passages for `question`, best first,
        each as `Passage.to_dict()` (text, source, paragraph, offsets, page, title, date,
        score, answer sentence; also_in: other places with the same words). `filters`
        (optional): {"folders": [...], "langs": [...], "since": "YYYY-MM-DD", "until": "YYYY-MM-DD"},
        applied inside retrieval. `previous` (optional): the conversation's earlier questions,
        oldest first; a follow-up ("When?") is read with them and its passages name the question
        in `followup_of`. A question too long to be searched whole (over `MAX_QUESTION_CHARS`
        characters: a pasted text) is searched by its start: every passage then says so in
        `question_cut` (`qa.retrieval.question_cut`); the key is absent otherwise."""
        passages = self.passage_dicts(self._search(question, k, filters, previous))
        cut = question_cut(question)
        return [{**p, "question_cut": cut} for p in passages] if cut else passages

    def ask_answer(self, question: str, k: int = 5, filters: dict | None = None,
                   previous: list[str] | None = None) -> dict[str, Any]:
        """`ask` as one object: {"passages": [...], "partial": bool, "missing_shards": [...],
        "followup_of": str | None, "not_searched_yet": [...], "question_cut": {...} | None}.
        `partial` is true when some shards of the index did not answer (only with `qa serve --ray`):
        the passages are then the best of the shards that did, and may be none; `missing_shards` names
        the others. `followup_of`: the earlier question(s) of `previous` the question was read with, or
        null. `not_searched_yet`: the files an upload was indexing as the question came (the chat's
        "Being added, not searched yet"): this answer did not search them, ask again once they are
        indexed; [] when none. `question_cut`: how a question too long to be searched whole was cut
        ({"length", "searched_chars", "searched", "note"}, `qa.retrieval.question_cut`: only its start
        was searched), null when it was searched whole. `link`: the page's link to this question, as its
        link icon gives it (`?q=...&k=...`, with the filters and, for a follow-up, `after=`): joined to
        the server's address, it shows the same passages (a support desk posts it with the answer)."""
        # read before the index is (as the chat's `answer`): the files still being indexed then
        adding = list(self.indexing_names())
        hits = self._search(question, k, filters, previous)
        missing = self.missing_shards(hits)
        followup_of = hits[0].followup_of if hits else None
        return {"passages": [h.to_dict() for h in hits], "partial": bool(missing), "missing_shards": missing,
                "followup_of": followup_of, "not_searched_yet": adding, "question_cut": question_cut(question),
                "link": share_query(searched_part(question), int(k), filters, followup_of)}

    def _search(self, question: str, k: int, filters: dict | None, previous: list[str] | None = None):
        self.refresh()
        try:
            return self.retriever.search(question, k, where=filters, previous=previous or None)
        except QAError as exc:
            raise gr.Error(str(exc)) from None

    def missing_shards(self, hits) -> list[int]:
        """The shards that did not answer for these hits: none, with the whole index in this process."""
        return []

    def passage_dicts(self, hits) -> list[dict[str, Any]]:
        """`ask`'s answer for these hits."""
        return [h.to_dict() for h in hits]

    def document(self, doc_id: int) -> dict[str, Any]:
        """An indexed document by its id in the index, with its passages' offsets."""
        found = self._document(doc_id)
        if found is None:
            raise gr.Error(f"no document with id {doc_id!r} in the index")
        return found

    def _document(self, doc_id) -> dict | None:
        try:
            return self.retriever.document(int(doc_id))
        except (TypeError, ValueError, OverflowError):
            return None

    # ------------------------------------------------------------ page

    def stats_markdown(self, lang: str = "en") -> str:
        s = self.retriever.stats()
        return t(lang, "stats", documents=s["documents"], passages=s["passages"], model=model_label(s["model"]))

    def answer(self, question: str, k: int, where: dict | None, lang: str, previous: list[str] | None = None,
               first: bool = False) -> tuple[str, list[dict], str]:
        """The reply to one question (HTML), the passages as data, and the link that asks it.
        `previous`: the conversation's earlier questions (a follow-up is read with them); `first`:
        the conversation's first question, whose reply says once what the index needs (`upkeep_html`)."""
        # read before the index is: files still being indexed now are not in what is searched
        adding = self.indexing_names()
        self.refresh()
        k = int(k)
        # the link asks what was searched: a pasted text's whole link was refused by the server
        # (over 64 KB: 7,000 characters of Chinese), so that a reload or the back button broke the page
        searched = searched_part(question)
        try:
            hits = self.retriever.search(question, k, where=where, previous=previous or None)
        except QAError as exc:
            return error_reply(error_text(exc, lang), lang), [], share_query(searched, k, where)
        link = share_query(searched, k, where, hits[0].followup_of if hits else None)
        body, data = self.render_hits(hits, lang, where, link)
        cut = question_cut(question)
        if cut:
            note = escape_text(t(lang, "question_cut", length=cut["length"], searched=MAX_QUESTION_CHARS))
            body = f'<p class="qa-notice qa-cut">{note}</p>' + body
        if adding:
            note = escape_text(t(lang, "not_searched_yet", names=short_names(adding)))
            body = f'<p class="qa-notice qa-not-searched">{note}</p>' + body
        if first:
            body = self.upkeep_html(lang) + body
        return body, data, link

    def upkeep_html(self, lang: str) -> str:
        """What the index needs that only its log said (`qa serve` warns there, with the command):
        the passages of an index whose languages an older identifier gave (still searched). Told in
        the page's language, without the server's paths; "" when nothing."""
        if not self.relabel_needed():
            return ""
        return f'<p class="qa-notice qa-upkeep">{escape_text(t(lang, "notice_identifier"))}</p>'

    def relabel_needed(self) -> bool:
        """Whether some store of the index had its languages given by another identifier. Read at
        each conversation's first question: the repair writes the record without a new generation
        when no language changed, so the reader's view does not tell."""
        return any(languages_outdated(store.meta()) for store in self._stores())

    def restore(self, stored: str, lang: str) -> tuple[list[str], str | None, list[str]]:
        """A reloaded tab's conversation: the links of its answered questions (JSON, kept by the
        browser for this tab) asked again, each with the ones before it, and drawn afresh here,
        never the browser's HTML (all but the last `FULL_TURNS` folded); the last one's link; the questions."""
        links = stored_links(stored)
        if not links:
            return [], None, []
        offered = self.filter_choices()
        turns, asked = [], []
        for link in links[-RESTORED_TURNS:]:
            link_of = parse_link(link)
            if not link_of["q"]:
                continue
            where = {"folders": link_folders(link_of["folders"], offered["folder_tree"]),
                     "langs": [x for x in link_of["langs"] if x in offered["langs"]],
                     "since": link_of["since"] or None, "until": link_of["until"] or None}
            asked = asked_before(link_of, asked)
            body, _, again = self.answer(link_of["q"], link_of["k"], where, lang, asked, first=not turns)
            turns.append(turn(len(turns) + 1, link_of["q"], body, lang, again, restored=True))
            asked.append(link_of["q"])
        return fold_earlier(turns, lang), (links[-1] if turns else None), asked

    def render_hits(self, hits, lang: str, where: dict | None, link: str | None = None) -> tuple[str, list[dict]]:
        """The reply's HTML and the passages as data; `link`: the address that asks the question."""
        return (filters_line(where, lang) + reply(hits, lang, filtered=as_where(where) is not None, link=link),
                self.passage_dicts(hits))

    def document_html(self, request: str, lang: str) -> str:
        """The side panel for "doc:passage:answer start:answer end:page" (ids and offsets only),
        marked with the request it answers (the page focuses the cited passage once it is shown)."""
        return f'<div class="qa-shown" data-req="{attr(str(request or ""))}">{self._document_html(request, lang)}</div>'

    def _document_html(self, request: str, lang: str) -> str:
        parts = (str(request or "").split(":") + [""] * 5)[:5]
        try:
            doc_id, passage, a0, a1, page = (int(p) if p.strip() else None for p in parts)
        except ValueError:
            return error_reply(t(lang, "error_bad_request"), lang, alert=True)
        doc = self._document(doc_id) if doc_id is not None else None
        if doc is None:
            return error_reply(t(lang, "error_no_document", doc=doc_id), lang, alert=True)
        answer = (a0, a1) if a0 is not None and a1 is not None else None
        return document_panel(doc, passage, answer, lang, page)

    def _stores(self) -> list:
        """The stores behind the index: one, or one per shard of a sharded index."""
        return [shard.store for shard in getattr(self.retriever, "shards", None) or [self.retriever]]

    def filter_choices(self) -> dict[str, list[str]]:
        return merge_choices([choices(store) for store in self._stores()])

    def index_key(self) -> tuple:
        """Changes whenever the index does (a `qa index` from the terminal, an upload)."""
        return (self.retriever.identity, self.retriever.generation)

    def examples(self) -> list[str]:
        found: list[str] = []
        for store in self._stores():
            found.extend(e for e in examples_from(store) if e not in found)
        return found[:MAX_EXAMPLES]


def indexing_line(lang: str, names: tuple[str, ...] | list[str]) -> str:
    """The status line "Indexing report.pdf…" of these files (sanitised names)."""
    return f'<p class="qa-indexing">{escape_text(t(lang, "indexing", names=short_names(names)))}</p>'


def short_names(names: tuple[str, ...] | list[str], shown: int = 3) -> str:
    """File names for one line: the first few, then how many more ("a.md, b.md, c.md +297")."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" +{more}" if more > 0 else "")


def parse_link(search: str) -> dict[str, Any]:
    """The question and settings of a `?q=...&after=...&k=...&in=...&lang=...&since=...&until=...`
    link; `again`: asked again even where the conversation has it (a folded answer's link); `after`:
    the earlier question(s) a follow-up was read with (`asked_before`)."""
    params = parse_qs((search or "").lstrip("?"))
    first = lambda key: (params.get(key) or [""])[0]  # noqa: E731
    try:
        k = min(max(int(first("k") or 5), 1), K_SLIDER_MAX)
    except ValueError:
        k = 5
    return {"q": first("q").strip(), "k": k, "folders": params.get("in", []), "langs": params.get("lang", []),
            "since": first("since"), "until": first("until"), "again": bool(first("again")),
            "after": first("after").strip()}


def asked_before(link: dict[str, Any], questions: list[str]) -> list[str]:
    """The questions a link's question is read with: the conversation's, and the earlier question(s)
    the link's follow-up was read with where it was asked (`after`), unless they are the
    conversation's own last ones (then it is read with them anyway)."""
    after = link.get("after") or ""
    if not after or " ".join(questions).endswith(after):
        return list(questions)
    return list(questions) + [after]


def stored_links(stored: str) -> list[str]:
    """The links of a tab's answered questions, as the browser keeps them (JSON); none if garbled."""
    try:
        return [x for x in json.loads(stored or "[]") if isinstance(x, str) and x.startswith("?")]
    except (ValueError, TypeError):
        return []


def known_folders(requested: list[str], offered: list[str]) -> list[str]:
    """The folder filters of a link that the index offers, spelt as offered ("en" -> "en/")."""
    by_name = {x.rstrip("/"): x for x in offered}
    return [by_name[f.rstrip("/")] for f in requested if f.rstrip("/") in by_name]


def link_folders(requested: list[str], offered: list[str]) -> list[str]:
    """The folder filters of a link as the search takes them: those the index offers spelt as
    offered, the others as the link gives them, so that the search says that the index holds no
    such folder (`error_folder_unknown`) rather than searching every document without a word."""
    known = {f.rstrip("/") for f in known_folders(requested, offered)}
    return known_folders(requested, offered) + [f for f in requested if f.strip() and f.rstrip("/") not in known]
