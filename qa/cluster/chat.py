"""The chat and its API over a sharded index served by Ray Serve: `qa.web_app.ChatApp` with
the shards' filter choices and examples gathered from the replicas, no uploads (the index
is read-only here: its message says so on the page), and partial replies marked."""
from __future__ import annotations

from typing import Any

from ..render import escape_text
from ..web_app import ChatApp
from ..web_i18n import t
from .serve import ServedRetriever, ShardHits


def partial_notice(missing: list[int], lang: str = "en") -> str:
    shards = ", ".join(str(m) for m in missing)
    return f'<p class="qa-notice qa-partial">⚠ {escape_text(t(lang, "partial", shards=shards))}</p>'


class ServedChatApp(ChatApp):
    def __init__(self, retriever: ServedRetriever) -> None:
        super().__init__(retriever, uploads=None)  # uploads off: "Adding documents is turned off"

    def missing_shards(self, hits: ShardHits) -> list[int]:
        return list(hits.missing_shards)

    def passage_dicts(self, hits: ShardHits) -> list[dict[str, Any]]:
        """See `ChatApp.passage_dicts`; a partial answer marks every passage (`partial`,
        `missing_shards`), for `/ask`'s callers; `/answer` says it once for the whole answer,
        even when no passage came."""
        extra = {"partial": True, "missing_shards": list(hits.missing_shards)} if hits.partial else {}
        return [{**h.to_dict(), **extra} for h in hits]

    def render_hits(self, hits: ShardHits, lang: str, where: dict | None, link: str | None = None
                    ) -> tuple[str, list[dict]]:
        """See `ChatApp.render_hits`; a partial reply starts with a notice naming the missing shards."""
        html, passages = super().render_hits(hits, lang, where, link)
        if hits.partial:
            html = partial_notice(hits.missing_shards, lang) + html
        return html, passages

    def filter_choices(self) -> dict[str, list[str]]:
        return self.retriever.filter_choices()

    def examples(self) -> list[str]:
        return self.retriever.examples()

    def relabel_needed(self) -> bool:
        # the shards' stores are in the replicas, whose own logs warn: not told on the page here
        return False
