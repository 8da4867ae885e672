"""`qa serve`: the chat in the browser (Gradio), a thin shell over `Retriever.search`."""
from __future__ import annotations

import math
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402  (at module level: handlers' `gr.Request` annotations resolve here)

from .errors import QAError  # noqa: E402
from .render import conversation, escape_text, fold_earlier, turn  # noqa: E402
from .retrieval import Retriever, searched_part  # noqa: E402
from .readers import SUFFIXES  # noqa: E402
from .web_app import (K_SLIDER_MAX, ChatApp, _lang, asked_before, indexing_line, known_folders, link_folders,  # noqa: E402,F401
                      parse_link, stored_links)
from .web_assets import CSS, JS  # noqa: E402
from .web_i18n import error_text, gradio_i18n, t  # noqa: E402
from .web_uploads import UploadPolicy, Uploads, sanitise  # noqa: E402
from .web_security import (AUTH_ON_COMMAND_LINE, LoginThrottle, check_host, is_loopback,  # noqa: E402,F401
                           model_label, parse_auth)

# Two cores: more simultaneous searches than this only queue up inside the encoder lock;
# the queue holds the rest in order.
CONCURRENCY = 4
QUEUE_SIZE = 512


def build_app(retriever: Retriever, uploads: Uploads | None = None, loopback: bool = True,
              app: ChatApp | None = None):
    """The page; `app` (default: a `ChatApp` of `retriever`) answers it (qa/cluster: over Ray Serve)."""
    app = app or ChatApp(retriever, uploads, loopback)
    i18n = gradio_i18n()
    # Each page is given the choices of its own at its load; these are the ones a process checks a
    # page's values against when it does not know the page: one opened before a restart (a deploy, a
    # crash), whose folder filter or example was refused inside Gradio, the question never asked.
    at_start = app.filter_choices()
    samples = [[e] for e in app.examples()]
    _, removable_sources = app.documents_html("en")
    with gr.Blocks(title="qa: ask your documents") as demo:
        with gr.Row():
            gr.Markdown(i18n("title"), elem_id="qa-title")  # the page's one h1
            stats = gr.Markdown(elem_id="qa-stats")
        with gr.Row():
            with gr.Column(scale=3, elem_id="qa-main"):
                chat = gr.HTML(conversation([]), elem_id="qa-chat")
                # "Indexing report.pdf…" while an upload is indexed (web_assets reads it out)
                indexing = gr.HTML(elem_id="qa-indexing")
                with gr.Row():
                    question = gr.Textbox(placeholder=i18n("placeholder"), label=i18n("question"), show_label=False,
                                          scale=8, elem_id="qa-question", autofocus=True, submit_btn=i18n("ask"))
                    k = gr.Slider(1, K_SLIDER_MAX, value=5, step=1, label=i18n("passages"), scale=2, elem_id="qa-k")
                    clear = gr.Button(i18n("clear"), size="sm", scale=1, min_width=90, elem_id="qa-clear")
                with gr.Row():
                    folders = gr.Dropdown(at_start["folder_tree"], multiselect=True, label=i18n("folder"),
                                          elem_id="qa-folders")
                    langs = gr.Dropdown(at_start["langs"], multiselect=True, label=i18n("language"),
                                        elem_id="qa-langs")
                    since = gr.Textbox(label=i18n("since"), placeholder="YYYY-MM-DD", elem_id="qa-since")
                    until = gr.Textbox(label=i18n("until"), placeholder="YYYY-MM-DD", elem_id="qa-until")
                examples = gr.Dataset(components=[question], samples=samples, label=i18n("examples"),
                                      elem_id="qa-examples", type="values")
                with gr.Accordion(i18n("api_data"), open=False):
                    passages = gr.JSON(label="passages")
            with gr.Column(scale=2, elem_id="qa-side"):
                with gr.Tabs() as tabs:
                    with gr.Tab(i18n("document"), id="doc", elem_id="qa-doc-tab"):
                        doc = gr.HTML(elem_id="qa-doc")
                    with gr.Tab(i18n("documents"), id="docs", elem_id="qa-docs-tab"):
                        with gr.Group(visible=False) as upload_box:
                            files = gr.File(label=i18n("upload_hint"), file_count="multiple", elem_id="qa-upload",
                                            height=120)
                            upload_status = gr.Markdown(elem_id="qa-upload-status")
                            with gr.Row():
                                removable = gr.Dropdown(removable_sources, value=None, label=i18n("uploaded_docs"),
                                                        elem_id="qa-removable",
                                                        scale=3)
                                remove = gr.Button(i18n("remove"), elem_id="qa-remove", scale=1, size="sm")
                        upload_note = gr.Markdown(elem_id="qa-upload-note")
                        doclist = gr.HTML(elem_id="qa-doclist")
        open_req = gr.Textbox(elem_id="qa-open-req", elem_classes=["qa-hidden"], show_label=False, container=False)
        open_btn = gr.Button("open", elem_id="qa-open-btn", elem_classes=["qa-hidden"])
        location = gr.Textbox(elem_id="qa-location", elem_classes=["qa-hidden"], show_label=False, container=False)
        past = gr.Textbox(elem_id="qa-past", elem_classes=["qa-hidden"], show_label=False, container=False)
        unanswered = gr.Textbox(elem_id="qa-unanswered", elem_classes=["qa-hidden"], show_label=False,
                                container=False)
        turns = gr.State([])
        asked = gr.State([])  # the conversation's questions: a follow-up is read with them
        pending = gr.State(None)
        seen = gr.State(None)  # the index as the page's filter choices show it (`ChatApp.index_key`)
        # a tab that saw an upload being indexed (another tab's) asks until it is done, then stops
        poll = gr.Timer(1.0, active=False)

        def start(text, k_, folders_, langs_, since_, until_, turns_, asked_, stored, request: gr.Request):
            """Show the question at once, with a "searching" note; the answer follows. `stored`: the
            tab's answered questions (their links) as the browser keeps them."""
            text = (text or "").strip()
            if not text:
                return gr.skip(), gr.skip(), turns_, None, asked_
            lang = _lang(request)
            where = {"folders": folders_ or [], "langs": langs_ or [], "since": since_ or None,
                     "until": until_ or None}
            turns_ = list(turns_ or [])
            previous = list(asked_ or [])
            restarted = False
            if not turns_ and stored:
                # the page shows a conversation this server does not know: it was restarted since
                # (its state is per process). Asked again, so that the page keeps it and a follow-up
                # is read with it, instead of the conversation vanishing at the next question.
                turns_, _, previous = app.restore(stored, lang)
                restarted = bool(turns_)
            n = len(turns_) + 1
            turns_.append(turn(n, text, f'<p class="qa-wait">{escape_text(t(lang, "searching"))}</p>', lang, None))
            return ("", conversation(turns_, lang), turns_, {"q": text, "k": int(k_), "where": where, "n": n,
                                                        "previous": previous, "restarted": restarted},
                    previous + [text])

        def finish(pending_, turns_, seen_, request: gr.Request):
            if not pending_ or pending_["n"] > len(turns_ or []):  # none, or the conversation was cleared meanwhile
                return (gr.skip(),) * 11
            lang = _lang(request)
            body, data, link = app.answer(pending_["q"], pending_["k"], pending_["where"], lang,
                                          pending_.get("previous"), first=pending_["n"] == 1)
            if pending_.get("restarted"):
                body = f'<p class="qa-notice">{escape_text(t(lang, "restored_after_restart"))}</p>' + body
            turns_ = list(turns_ or [])
            turns_[pending_["n"] - 1] = turn(pending_["n"], pending_["q"], body, lang, link)
            turns_ = fold_earlier(turns_, lang)
            # the filters and the examples offer what the index holds now: a folder indexed from the
            # terminal since the page was opened can be chosen, and no example asks about a document
            # removed since, without reloading it
            key = app.index_key()
            if key != seen_:
                c = app.filter_choices()
                offered = (gr.Dropdown(choices=c["folder_tree"]), gr.Dropdown(choices=c["langs"]),
                           gr.Dataset(samples=[[e] for e in app.examples()]), key)
            else:
                offered = (gr.skip(),) * 4
            return (conversation(turns_, lang), turns_, data, app.stats_markdown(lang), app.documents_html(lang)[0],
                    *offered, *indexing_now(request))

        def indexing_now(request: gr.Request):
            """The status line as the server is now, and whether the tab keeps asking."""
            html = app.indexing_html(_lang(request))
            return html, gr.Timer(active=bool(html))

        def indexing_dropped(paths, request: gr.Request):
            """The status line at once, from the names of the files dropped that can be read."""
            names = [sanitise(getattr(item, "orig_name", None) or os.path.basename(str(getattr(item, "path", item))))
                     for item in paths or []]
            names = [n for n in names if os.path.splitext(n)[1].lower() in SUFFIXES]
            if not names:
                return gr.skip()
            return indexing_line(_lang(request), names)

        def on_load(search: str, stored: str, unanswered_: str, request: gr.Request):
            """Header counts, filter choices and examples as the index is now; a reloaded tab's
            conversation (`stored`: its questions' links) asked again; a `?q=` link asks, or else
            the question the tab was asking when it was reloaded (`unanswered_`)."""
            lang = _lang(request)
            app.refresh()
            c = app.filter_choices()
            link = parse_link(search)
            restored, _, questions = app.restore(stored, lang)
            if restored and any(parse_link(x) == link for x in stored_links(stored)):
                # the reloaded page's own question, or an earlier one of its conversation that the back
                # button went to (it was asked again as a new turn): already in the conversation
                link["q"] = ""
            unanswered_ = (unanswered_ or "").strip()
            # (an address of the conversation's own, after the back button, is no new question)
            # (a question too long to search whole is in the conversation as the part searched)
            if (unanswered_ and searched_part(unanswered_) not in questions[-1:]
                    and (not link["q"] or link["q"] in questions)):
                link["q"], link["after"] = unanswered_, ""
            # a follow-up's link read with the question(s) it was read with where it was asked
            reads = asked_before(link, questions) if link["q"] else questions
            folders_ = known_folders(link["folders"], c["folder_tree"])
            langs_ = [x for x in link["langs"] if x in c["langs"]]
            searched = link_folders(link["folders"], c["folder_tree"])
            if link["q"] and searched != folders_:
                # a folder the index no longer holds (the folder filter cannot offer it): asked here,
                # where the search says so, rather than by the page without it, over every document
                where = {"folders": searched, "langs": langs_, "since": link["since"] or None,
                         "until": link["until"] or None}
                body, _, asked_link = app.answer(link["q"], link["k"], where, lang, reads, first=not restored)
                restored = restored + [turn(len(restored) + 1, link["q"], body, lang, asked_link, restored=True)]
                reads = reads + [link["q"]]
                link["q"] = ""
            listing, sources = app.documents_html(lang)
            refusal = app.upload_refusal(request.username)
            return (app.stats_markdown(lang), gr.Dropdown(choices=c["folder_tree"], value=folders_),
                    gr.Dropdown(choices=c["langs"], value=langs_),
                    # the date range only where documents have dates
                    gr.Textbox(value=link["since"], visible=bool(c["dates"] or link["since"])),
                    gr.Textbox(value=link["until"], visible=bool(c["dates"] or link["until"])), link["k"],
                    link["q"], gr.Dataset(samples=[[e] for e in app.examples()]),
                    f'<p class="qa-hint">{escape_text(t(lang, "doc_hint"))}</p>',
                    gr.Group(visible=refusal is None), t(lang, refusal) if refusal else "", listing,
                    gr.Dropdown(choices=sources, value=None), conversation(restored, lang), restored, reads,
                    app.index_key(), *indexing_now(request))

        def after_change(status: str, lang: str):
            """What follows a change of the index: counts, filters, examples, document list."""
            c = app.filter_choices()
            listing, sources = app.documents_html(lang)
            return (status, app.stats_markdown(lang), gr.Dropdown(choices=c["folder_tree"]),
                    gr.Dropdown(choices=c["langs"]), gr.Dataset(samples=[[e] for e in app.examples()]), listing,
                    gr.Dropdown(choices=sources, value=None), None)

        def upload(paths, request: gr.Request, progress=gr.Progress(track_tqdm=True)):
            """Add documents to the index (the formats `qa index` reads); a status line."""
            lang = _lang(request)
            pairs = []
            for item in paths or []:
                path = item if isinstance(item, str) else getattr(item, "path", None) or item.get("path")
                pairs.append((path, getattr(item, "orig_name", None) or os.path.basename(path)))
            try:
                status = app.add_files(pairs, request.username, lang, progress)
            except QAError as exc:
                raise gr.Error(error_text(exc, lang)) from None
            return after_change(status, lang)

        def remove_upload(source: str, request: gr.Request):
            """Remove a document added from the page."""
            lang = _lang(request)
            if not source:
                return (gr.skip(),) * 8
            try:
                status = app.remove_file(source, request.username, lang)
            except QAError as exc:
                raise gr.Error(error_text(exc, lang)) from None
            return after_change(status, lang)

        def start_sent(text, k_, folders_, langs_, since_, until_, turns_, asked_, stored, request: gr.Request):
            """`start` for a question sent from the page: the box is left to the page (`sent_gone`)."""
            return (gr.skip(), *start(text, k_, folders_, langs_, since_, until_, turns_, asked_, stored, request)[1:])

        inputs = [question, k, folders, langs, since, until, turns, asked, past]
        # a question typed but not sent before the page was mounted again (web_assets: qa-draft)
        restore_draft = "(q) => q || sessionStorage.getItem('qa-draft') || ''"
        started = [question, chat, turns, pending, asked]
        # the tab's answered questions, read where the browser keeps them as the question leaves;
        # the question in flight noted (web_assets: qaSending)
        with_stored = ("(...a) => { a[a.length - 1] = sessionStorage.getItem('qa-turns') || '';"
                       " window.qaSending = a[0] || ''; window.qaSentAt = Date.now(); return a; }")
        # Once the question is in the chat, the box is emptied if it still holds it: on a slow link a
        # question typed meanwhile was wiped by the first's arrival; it is kept, and asked after the
        # first's reply (web_assets: one question at a time)
        sent_gone = ("(q) => { const sent = (window.qaSending || '').trim(); window.qaSending = null;"
                     " return (q || '').trim() === sent ? '' : q; }")
        ask_chain = dict(fn=finish, inputs=[pending, turns, seen],
                         outputs=[chat, turns, passages, stats, doclist, folders, langs, examples, seen, indexing,
                                  poll],
                         # no "0.1s" over the status line at every answer
                         show_progress_on=[chat, passages, stats, doclist, folders, langs, examples],
                         api_visibility="private", concurrency_limit=CONCURRENCY, concurrency_id="search")
        # Enter in a date box asks too, as in any search form (else the date typed did nothing)
        for box in (question, since, until):
            box.submit(start_sent, inputs, started, queue=False, api_visibility="private", js=with_stored) \
                .then(None, [question], [question], queue=False, api_visibility="private", js=sent_gone) \
                .then(**ask_chain)
        # (an example clicked is put in the question box and asked from there by the page's script,
        # web_assets: askExample, so that it is held as a typed question is)
        changed = [upload_status, stats, folders, langs, examples, doclist, removable, files]
        # the status line goes once the upload ends, as the server is then
        status_now = dict(fn=indexing_now, inputs=None, outputs=[indexing, poll], queue=False,
                          api_visibility="private", show_progress="hidden")
        adding = files.upload(indexing_dropped, [files], [indexing], queue=False, api_visibility="private",
                              show_progress="hidden") \
            .then(upload, [files], changed, api_name="upload", concurrency_limit=1, concurrency_id="index",
                  show_progress="full")
        adding.success(**status_now)
        adding.failure(**status_now)  # (in Gradio 6.31 `.then` did not follow an upload that raised `gr.Error`)
        poll.tick(indexing_now, None, [indexing, poll], queue=False, api_visibility="private", show_progress="hidden")
        remove.click(remove_upload, [removable], changed, api_name="remove", concurrency_limit=1,
                     concurrency_id="index")
        demo.load(on_load, [location, past, unanswered],
                  [stats, folders, langs, since, until, k, question, examples, doc, upload_box, upload_note, doclist,
                   removable, chat, turns, asked, seen, indexing, poll],
                  show_progress_on=[stats, folders, langs, since, until, k, question, examples, doc, upload_box,
                                    upload_note, doclist, removable, chat],
                  # (a question held for the one before, web_assets: dropped when Gradio mounts the page
                  # again after the server came back; the draft puts it back in the box, unasked)
                  js="() => { window.qaQueued = false; window.qaSending = null; window.qaExamples = [];"
                     " const asking = sessionStorage.getItem('qa-asking') || '';"
                     " sessionStorage.removeItem('qa-asking');"
                     " return [window.location.search, sessionStorage.getItem('qa-turns') || '', asking]; }",
                  api_visibility="private") \
            .then(start, inputs, started, queue=False, api_visibility="private") \
            .then(None, [question], [question], queue=False, api_visibility="private", js=restore_draft) \
            .then(**ask_chain)

        def new_conversation(request: gr.Request):
            return conversation([], _lang(request)), [], []

        clear.click(new_conversation, None, [chat, turns, asked], queue=False, api_visibility="private",
                    js="() => { sessionStorage.removeItem('qa-turns'); sessionStorage.removeItem('qa-asking');"
                       " history.pushState({}, '', location.pathname);"
                       " document.querySelector('#qa-question textarea').focus(); }")

        def open_document(req: str, request: gr.Request):
            return app.document_html(req, _lang(request)), gr.Tabs(selected="doc")

        open_btn.click(open_document, [open_req], [doc, tabs], api_visibility="private", queue=False)
        gr.api(app.ask, api_name="ask", concurrency_limit=CONCURRENCY, concurrency_id="search")
        gr.api(app.ask_answer, api_name="answer", concurrency_limit=CONCURRENCY, concurrency_id="search")
        gr.api(app.document, api_name="document")
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return demo, i18n


def create_server_app(retriever: Retriever, auth: tuple[str, str] | None = None, uploads: Uploads | None = None,
                      loopback: bool = True, app: ChatApp | None = None):
    """The ASGI app: the Gradio chat at /, behind a filter that answers 404 for every
    refused path (probing for files tells nothing about what exists) and slows down
    repeated failed logins."""
    import fastapi
    from fastapi.responses import JSONResponse, PlainTextResponse

    demo, i18n = build_app(retriever, uploads, loopback, app)
    app = fastapi.FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    throttle = LoginThrottle()

    @app.middleware("http")
    async def guard(request, call_next):
        login = request.method == "POST" and request.url.path.rstrip("/") == "/login"
        client = request.client.host if request.client else "?"
        if login:
            wait = throttle.wait(client)
            if wait > 0:
                seconds = math.ceil(wait)
                return JSONResponse({"detail": f"Too many failed logins: try again in {seconds} s."},
                                    status_code=429, headers={"Retry-After": str(seconds)})
        response = await call_next(request)
        if login and auth is not None:
            if response.status_code == 200:
                throttle.succeeded(client)
            elif response.status_code == 400:
                throttle.failed(client)
        if response.status_code == 403:
            return PlainTextResponse("Not Found", status_code=404)
        return response

    # Gradio refuses far larger uploads before they reach the disk; up to this, qa's own check
    # refuses with its reason
    limit = f"{int((uploads.policy.max_file_mb if uploads else 1) * 2 + 1)}mb"
    return gr.mount_gradio_app(app, demo, path="/", auth=auth, show_error=False, ssr_mode=False, css=CSS, head=JS,
                               footer_links=["api"], i18n=i18n, max_file_size=limit)


def serve(index: str = "index", host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
          no_auth: bool = False, uploads: UploadPolicy | None = None) -> int:
    """Start the chat; blocks until stopped."""
    import uvicorn

    warning = check_host(host, auth, no_auth)
    if warning:
        print(warning, file=sys.stderr)
    retriever = Retriever.open(index)
    retriever.search("warm up", k=1)  # loads the encoder's weights now, not on the first question
    policy = uploads or UploadPolicy()
    app = create_server_app(retriever, auth, Uploads(index, policy), is_loopback(host))
    s = retriever.stats()
    print(f"qa: {s['documents']} documents, {s['passages']} passages, model {model_label(s['model'])}",
          file=sys.stderr)
    print(f"qa: serving on http://{host or '0.0.0.0'}:{port}", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    return 0
