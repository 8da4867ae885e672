"""`qa serve`: the chat in the browser (Gradio), a thin shell over `Retriever.search`."""
from __future__ import annotations

import ipaddress
import os
import sys
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from .errors import QAError  # noqa: E402
from .render import error_reply, escape_text, reply  # noqa: E402
from .retrieval import Retriever  # noqa: E402

SEED_EXAMPLES = [
    "Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?",
    "Who filed most generative AI patents?",
    "中国总理呼吁什么？",
    "Warum haben die USA den Export von Chips nach China beschränkt?",
    "¿Qué riesgos mencionó el primer ministro chino?",
]
SEED_SOURCE = "000_00b606b2294fa235.txt"
# Two cores: more simultaneous searches than this only queue up inside the encoder lock;
# the queue holds the rest in order.
CONCURRENCY = 4
QUEUE_SIZE = 512

CSS = """
#qa-stats { text-align: right; font-size: 0.85em; opacity: 0.8; }
.qa-hit { margin: 0 0 1em 0; }
.qa-cite { font-size: 0.9em; margin-bottom: 0.2em; }
.qa-answer { background: #fde68a; color: inherit; font-weight: 600; padding: 0 2px; }
.qa-weak { color: #b45309; font-size: 0.85em; }
.qa-near { opacity: 0.7; }
.qa-context { margin-top: 0.3em; font-size: 0.95em; }
"""


class ChatApp:
    """The functions behind the page and its API, over one open `Retriever`."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever

    def chat(self, question: str, k: float = 5) -> tuple[str, list[dict[str, Any]]]:
        """The page's answer to one question: the reply (HTML) and the passages as data."""
        self.retriever.refresh()
        try:
            hits = self.retriever.search(question, int(k))
        except QAError as exc:
            return error_reply(str(exc)), []
        contexts = {h.id: self.retriever.context(h.id) for h in hits}
        return reply(hits, contexts), [h.to_dict() for h in hits]

    def ask(self, question: str, k: int = 5) -> list[dict[str, Any]]:
        """Search the indexed documents: the best `k` passages for `question`, best first,
        each as `Passage.to_dict()` (text, source, paragraph, offsets, page, title, date,
        score, answer sentence)."""
        self.retriever.refresh()
        try:
            return [h.to_dict() for h in self.retriever.search(question, k)]
        except QAError as exc:
            raise _gradio().Error(str(exc)) from None

    def document(self, doc_id: int) -> dict[str, Any]:
        """An indexed document by its id in the index, with its passages' offsets."""
        try:
            found = self.retriever.document(int(doc_id))
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise _gradio().Error(f"no document with id {doc_id!r} in the index")
        return found

    def stats_markdown(self) -> str:
        s = self.retriever.stats()
        return f"**{s['documents']}** documents · **{s['passages']}** passages · model `{s['model']}`"

    def examples(self) -> list[str]:
        sources = {d["source"].rsplit("/", 1)[-1] for d in self.retriever.store.documents()}
        return SEED_EXAMPLES if SEED_SOURCE in sources else []


def _gradio():
    import gradio as gr

    return gr


def build_app(retriever: Retriever, app: ChatApp | None = None):
    gr = _gradio()
    app = app or ChatApp(retriever)
    with gr.Blocks(title="qa: ask your documents") as demo:
        with gr.Row():
            gr.Markdown("### qa: ask your documents, in any language")
            gr.Markdown(app.stats_markdown(), elem_id="qa-stats")
        chatbot = gr.Chatbot(label="Answers", height=560, sanitize_html=True, render_markdown=True,
                             latex_delimiters=[], elem_id="qa-chat", buttons=["copy"])
        with gr.Row():
            question = gr.Textbox(placeholder="Ask a question about the documents…", show_label=False,
                                  scale=8, elem_id="qa-question", autofocus=True, submit_btn=True)
            k = gr.Slider(1, 20, value=5, step=1, label="Passages", scale=2, elem_id="qa-k")
        if examples := app.examples():
            gr.Examples(examples, inputs=question, label="Try")
        with gr.Accordion("Passages as data (the API's answer)", open=False):
            passages = gr.JSON(label="passages")
        pending = gr.State("")
        answer_html = gr.State("")

        def add_question(text: str, history: list) -> tuple[str, list, str]:
            history = list(history or [])
            history.append({"role": "user", "content": escape_text(text)})
            return "", history, text

        def add_answer(history: list, html: str) -> list:
            return list(history or []) + [{"role": "assistant", "content": html}]

        question.submit(add_question, [question, chatbot], [question, chatbot, pending], queue=False,
                        api_visibility="private") \
            .then(app.chat, [pending, k], [answer_html, passages], api_visibility="private",
                  concurrency_limit=CONCURRENCY, concurrency_id="search") \
            .then(add_answer, [chatbot, answer_html], chatbot, queue=False, api_visibility="private")
        gr.api(app.ask, api_name="ask", concurrency_limit=CONCURRENCY, concurrency_id="search")
        gr.api(app.document, api_name="document")
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return demo


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, auth: tuple[str, str] | None, no_auth: bool) -> str | None:
    """Listening beyond this machine needs a login, or the user saying explicitly that it
    doesn't. Returns the warning to print, if any."""
    if is_loopback(host):
        return None
    if auth is None and not no_auth:
        raise QAError(f"--host {host} would let anyone on the network read your documents: "
                      "add --auth USER:PASSWORD (or set QA_AUTH), or --no-auth to allow it")
    return (f"qa: warning: serving on {host}, reachable from other machines"
            + (" (login required)" if auth else " WITHOUT a login"))


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise QAError("--auth takes USER:PASSWORD")
    return user, password


def create_server_app(retriever: Retriever, auth: tuple[str, str] | None = None, app: ChatApp | None = None):
    """The ASGI app: the Gradio chat at /, behind a filter that answers 404 for every
    refused path, so that probing for files tells nothing about what exists."""
    import fastapi
    from fastapi.responses import PlainTextResponse

    gr = _gradio()
    demo = build_app(retriever, app)
    app = fastapi.FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.middleware("http")
    async def refused_is_not_found(request, call_next):
        response = await call_next(request)
        if response.status_code == 403:
            return PlainTextResponse("Not Found", status_code=404)
        return response

    return gr.mount_gradio_app(app, demo, path="/", auth=auth, show_error=False, ssr_mode=False, css=CSS,
                               footer_links=["api"])


def serve(index: str = "index", host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
          no_auth: bool = False) -> int:
    """Start the chat; blocks until stopped."""
    import uvicorn

    warning = check_host(host, auth, no_auth)
    if warning:
        print(warning, file=sys.stderr)
    retriever = Retriever.open(index)
    retriever.search("warm up", k=1)  # loads the encoder's weights now, not on the first question
    app = create_server_app(retriever, auth)
    s = retriever.stats()
    print(f"qa: {s['documents']} documents, {s['passages']} passages, model {s['model']}", file=sys.stderr)
    print(f"qa: serving on http://{host}:{port}", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    return 0
