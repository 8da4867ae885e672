"""The `qa` command line: a thin shell over `build_index` and `Retriever.search`."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .citations import cited_time, paragraph_label

DEFAULT_INDEX = "index"
DEFAULT_SEEDS = "seeds"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Ask questions of a folder of documents; "
                                     "get back the passages that answer, with citations.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="index documents (incrementally)")
    p.add_argument("paths", nargs="*", metavar="PATH", help=f"files or folders (default: {DEFAULT_SEEDS})")
    p.add_argument("--index", default=DEFAULT_INDEX, metavar="DIR", help="index folder (default: %(default)s)")
    p.add_argument("--model", metavar="NAME_OR_PATH", help="sentence-transformers model (default: use-m3, "
                   "the multilingual Universal Sentence Encoder shipped with qa)")
    p.add_argument("--rebuild", action="store_true", help="build a new index and swap it in when complete "
                   "(e.g. to change model)")
    p.add_argument("--add", action="store_true", help="index these paths and keep every other document "
                   "(default: the index mirrors the paths given, documents elsewhere are removed)")
    p.add_argument("--ocr-lang", metavar="LANGS",
                   help="OCR languages, e.g. fra+eng (default: the installed ones among eng, fra, deu)")
    p.add_argument("--no-ocr", dest="ocr", action="store_false", help="skip scanned pages and images instead of OCR")
    p.add_argument("--max-file-mb", type=float, default=32, metavar="MB",
                   help="skip files larger than this (default: %(default)s)")
    p.add_argument("--shards", type=int, metavar="N", help="split the index into N shards (documents assigned "
                   "by a hash of their source); a sharded index is then updated as one")
    p.add_argument("--ray", metavar="ADDRESS", help="build the sharded index on a Ray cluster (auto, local, or "
                   "the head's address; needs the cluster extra and DIR on storage every node sees)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("remove", help="remove documents from the index")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a source as cited, a folder of sources, "
                   "or the path of an indexed file or folder")
    p.add_argument("--index", default=DEFAULT_INDEX, metavar="DIR", help="index folder (default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question", metavar="QUESTION", nargs="?",
                   help="the question (or --questions-file; neither, on a terminal: one question after another)")
    p.add_argument("--questions-file", metavar="FILE", help="ask every line of FILE (- for standard input), "
                   "embedded and searched as one batch; with --json, one JSON line per question")
    p.add_argument("--after", action="append", metavar="QUESTION",
                   help="an earlier question of the conversation (repeatable, oldest first): a follow-up "
                   "such as \"When?\" is read with it; at a terminal, each question is read after the earlier ones")
    p.add_argument("-k", type=int, default=5, metavar="N", help="number of passages (default: %(default)s)")
    p.add_argument("--index", default=DEFAULT_INDEX, metavar="DIR", help="index folder (default: %(default)s)")
    p.add_argument("--model", metavar="NAME_OR_PATH", help="model the index was built with (checked)")
    p.add_argument("--json", action="store_true", help="print the passages as a JSON list")
    p.add_argument("--in", dest="folders", action="append", metavar="PATH",
                   help="only documents under this folder or file of the index (path as in the citations; repeatable)")
    p.add_argument("--lang", dest="langs", action="append", metavar="CODE",
                   help="only documents in this language, e.g. fr (repeatable)")
    p.add_argument("--since", metavar="DATE", help="only documents dated on or after DATE (YYYY[-MM[-DD]])")
    p.add_argument("--until", metavar="DATE", help="only documents dated on or before DATE (YYYY[-MM[-DD]])")

    p = sub.add_parser("eval", help="measure retrieval on a SQuAD v1.1 file (e.g. XQuAD)")
    p.add_argument("--squad", required=True, metavar="PARAGRAPHS.json",
                   help="SQuAD v1.1 file whose paragraphs are indexed")
    p.add_argument("--questions", metavar="QUESTIONS.json", help="SQuAD v1.1 file whose questions are asked "
                   "(default: the --squad file); gold paragraphs are matched by question id")
    p.add_argument("--model", metavar="NAME_OR_PATH", help="sentence-transformers model (default: use-m3)")
    p.add_argument("-k", type=int, default=10, metavar="N", help="passages per question (default: %(default)s)")
    p.add_argument("--index", metavar="DIR", help="keep the index in DIR (default: a temporary folder)")
    p.add_argument("--mode", default="hybrid", choices=("hybrid", "dense", "lexical"),
                   help="retrieval mode (default: %(default)s, what `qa ask` and the chat use)")
    p.add_argument("--limit", type=int, metavar="N", help="ask only the first N questions")
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object")

    p = sub.add_parser("serve", help="start the chat in the browser")
    p.add_argument("--index", default=DEFAULT_INDEX, metavar="DIR", help="index folder (default: %(default)s)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=7860, help="port (default: %(default)s)")
    p.add_argument("--auth", metavar="USER:PASSWORD", help="require this login (visible to other users in ps: prefer --auth-file or QA_AUTH)")
    p.add_argument("--auth-file", metavar="FILE", help="read USER:PASSWORD from FILE")
    p.add_argument("--no-auth", action="store_true", help="allow a non-loopback --host without a password")
    p.add_argument("--read-only", action="store_true", help="no adding or removing documents from the page")
    p.add_argument("--max-file-mb", type=float, default=32, metavar="MB",
                   help="largest document accepted from the page (default: %(default)s)")
    p.add_argument("--upload-quota-mb", type=float, default=1024, metavar="MB",
                   help="total size of the documents added from the page (default: %(default)s)")
    p.add_argument("--ray", metavar="ADDRESS", help="serve a sharded index from a Ray cluster (auto, local, or "
                   "the head's address): one Ray Serve deployment per shard; read-only")
    p.add_argument("--replicas", type=int, default=1, metavar="R", help="with --ray: replicas per shard "
                   "(default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.version:
        from . import __version__

        print(f"qa {__version__}")
        return 0
    if args.command is None:
        _parser().print_help()
        return 2
    from .errors import QAError

    _log_to_stderr()
    try:
        return {"index": _index, "remove": _remove, "ask": _ask, "eval": _eval, "serve": _serve}[args.command](args)
    except QAError as exc:
        print(f"qa: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("QA_DEBUG"):
            raise
        print(f"qa: unexpected error: {type(exc).__name__}: {exc} (set QA_DEBUG=1 for details)", file=sys.stderr)
        return 2


def _log_to_stderr() -> None:
    """The library's warnings (e.g. a repaired vector index) as `qa: ...` lines on stderr."""
    import logging

    logger = logging.getLogger("qa")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("qa: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _print_report(report, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return
    print(report.summary())
    for label, rows in (("removed", report.removed_files), ("skipped", report.skipped)):
        for source, reason in rows[:50]:
            print(f"  {label} {source}: {reason}")
        if len(rows) > 50:
            print(f"  ... and {len(rows) - 50} more {label}")


def _index(args) -> int:
    from .indexer import GONE, build_index

    if args.ray:
        from .cluster.index import build_on_ray

        report = build_on_ray(args.paths or [DEFAULT_SEEDS], args.index, shards=args.shards, address=args.ray,
                              model=args.model, rebuild=args.rebuild, add=args.add, max_file_mb=args.max_file_mb,
                              ocr=args.ocr, ocr_lang=args.ocr_lang)
    else:
        report = build_index(args.paths or [DEFAULT_SEEDS], index=args.index, model=args.model, rebuild=args.rebuild,
                             max_file_mb=args.max_file_mb, add=args.add, ocr=args.ocr, ocr_lang=args.ocr_lang,
                             shards=args.shards)
    _print_report(report, args.json)
    if not args.add and not args.json and any(reason == GONE for _, reason in report.removed_files):
        # not for a file renamed or moved, or named anew: nothing of it left the index
        print("  (the index mirrors the paths given: use --add to keep documents indexed from elsewhere)")
    nothing = report.documents == 0 and (report.skipped or report.unchanged == 0)
    if nothing:
        print("qa: error: nothing could be indexed", file=sys.stderr)
        return 1
    return 0


def _remove(args) -> int:
    from .indexer import remove_documents

    _print_report(remove_documents(args.index, args.paths), args.json)
    return 0


def ensure_index(index: str, model: str | None = None) -> None:
    """A new user's first question: build the index from the seeds if there is none."""
    from .errors import QAError
    from .layout import current_data, is_index, lost_pointer
    from .shards import is_sharded
    from .store import DB_NAME

    # an index folder that lost a part (its store, shards.json, its pointer) is not a new user's:
    # the reader says what to do, rather than the seeds being indexed into it and answering
    if (current_data(index) / DB_NAME).exists() or is_sharded(index) or is_index(Path(index)) \
            or lost_pointer(index):
        return
    from .indexer import build_index  # the write path, only when there is no index yet

    if not Path(DEFAULT_SEEDS).is_dir():
        raise QAError(f"no index at {index} and no {DEFAULT_SEEDS}/ folder here: run `qa index PATH --index {index}`")
    print(f"qa: no index at {index} yet: indexing {DEFAULT_SEEDS}/ first...", file=sys.stderr)
    report = build_index([DEFAULT_SEEDS], index=index, model=model)
    print(f"qa: {report.summary()}", file=sys.stderr)


def _read_questions(path: str) -> list[str]:
    """The non-blank lines of `path` (- for standard input)."""
    from .errors import QAError

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QAError(f"cannot read the questions file {path} ({getattr(exc, 'strerror', None) or exc}): "
                      "give a UTF-8 text file with one question a line") from None
    questions = [line.strip() for line in text.splitlines() if line.strip()]
    if not questions:
        raise QAError(f"no questions in {path}: write one question a line")
    return questions


def _ask(args) -> int:
    from .collector import opening
    from .errors import QAError
    from .filters import make_where
    from .retrieval import MAX_K, Retriever

    if args.question is not None and args.questions_file is not None:
        raise QAError("give a QUESTION or --questions-file FILE, not both")
    if args.after and args.questions_file is not None:
        raise QAError("--after goes with one QUESTION, not with --questions-file")
    interactive = args.question is None and args.questions_file is None
    if interactive and not sys.stdin.isatty():
        raise QAError("give a QUESTION or --questions-file FILE (- for standard input)")
    where = make_where(args.folders, args.langs, args.since, args.until)
    questions = _read_questions(args.questions_file) if args.questions_file else None
    ensure_index(args.index, args.model)
    if args.k > MAX_K:
        print(f"qa: note: -k {args.k} lowered to {MAX_K}", file=sys.stderr)
    if interactive:
        return _ask_one_after_another(args, where)
    with opening():
        retriever = Retriever.open(args.index, model=args.model)
    if questions is not None:
        for question, hits in zip(questions, retriever.search_many(questions, k=args.k, where=where)):
            _note_cut(question)
            if args.json:
                print(json.dumps({"question": question, "passages": [h.to_dict() for h in hits]},
                                 ensure_ascii=False))
            else:
                print(f"## {question}\n\n{format_hits(hits, color=sys.stdout.isatty())}\n")
        return 0
    hits = retriever.search(args.question, k=args.k, where=where, previous=args.after)
    _note_cut(args.question)
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))
        return 0
    print(format_hits(hits, color=sys.stdout.isatty()))
    return 0


def _note_cut(question: str) -> None:
    """Says on stderr when `question` was too long to be searched whole (a pasted text): only its
    first `MAX_QUESTION_CHARS` characters were (the chat says so in its reply, the API in `question_cut`)."""
    from .retrieval import question_cut

    cut = question_cut(question)
    if cut:
        print(f"qa: note: {cut['note']}", file=sys.stderr)


def _ask_one_after_another(args, where) -> int:
    """Questions typed at a terminal, answered one by one with the index and model opened
    once; they open while the first question is typed."""
    from concurrent.futures import ThreadPoolExecutor

    from .errors import QAError
    from .retrieval import Retriever, refreshed

    asked = list(args.after or [])  # a follow-up is read with the questions asked before it
    replaced = None  # the reader of an index rebuilt as another kind since (`refreshed`)
    with ThreadPoolExecutor(1) as pool:
        opening = pool.submit(_open_collector_paused, args.index, args.model)
        print("Ask a question (an empty line or Ctrl-D ends).", file=sys.stderr)
        while True:
            try:
                if not sys.stdout.isatty():  # answers go to a file or a pipe: the prompt does not
                    print("? ", end="", file=sys.stderr, flush=True)
                question = input("? " if sys.stdout.isatty() else "").strip()
            except (EOFError, KeyboardInterrupt):
                print(file=sys.stderr)
                return 0
            if not question:
                return 0
            retriever = replaced or opening.result()  # an unusable index or model ends it, as for one question
            try:
                retriever = replaced = refreshed(retriever)  # a `qa index` run since the last question
                hits = retriever.search(question, k=args.k, where=where, previous=asked)
                asked.append(question)
                _note_cut(question)
            except KeyboardInterrupt:
                print(file=sys.stderr)
                continue
            except QAError as exc:  # a bad question ends nothing: say why and ask again
                print(f"qa: error: {exc}", file=sys.stderr)
                continue
            if args.json:
                print(json.dumps({"question": question, "passages": [h.to_dict() for h in hits]}, ensure_ascii=False))
            else:
                print(format_hits(hits, color=sys.stdout.isatty()) + "\n")


def _open_collector_paused(index: str, model: str | None):
    from .collector import opening
    from .retrieval import Retriever

    with opening():
        return Retriever.open(index, model=model)


def format_hits(hits, color: bool = False) -> str:
    if not hits:
        return "No passage found (with these filters, if any)."
    bold, reset = ("\033[1m", "\033[0m") if color else ("**", "**")
    lines = [f"Read with your previous question: {hits[0].followup_of} (ask it in full to search it alone)", ""] \
        if hits[0].followup_of else []
    lines += [f"Note: {hits[0].notice}", ""] if hits[0].notice else []
    if all(h.weak for h in hits):
        lines.append("No passage in the documents clearly answers this; the closest:")
    for h in hits:
        where = (f"{h.source}" + (f" · {h.section}" if h.section else "")
                 + f" {paragraph_label(h.paragraph, h.part, h.parts)}"
                 + (f" (p. {h.page})" if h.page else "") + (f" ({cited_time(h)})" if h.time else ""))
        extra = " · ".join(x for x in (h.title, h.date, h.authors, "OCR" if h.ocr else None) if x)
        lines.append(f"[{h.rank}] {where}" + (f" · {extra}" if extra else "") + f" · score {h.score:.3f}"
                     + (" · weak match" if h.weak else "")
                     + (f" · file {h.source_changed} since indexing: run qa index" if h.source_changed else ""))
        text = h.text
        if h.answer:
            text = text[:h.answer.start] + bold + text[h.answer.start:h.answer.end] + reset + text[h.answer.end:]
        lines.extend("    " + line for line in text.splitlines())
        if h.also_in:
            lines.append("    (same words also in: " + "; ".join(h.also_in) + ")")
        lines.append("")
    return "\n".join(lines).rstrip()


def _eval(args) -> int:
    from .errors import BadQuestion
    from .evaluate import evaluate

    if args.k < 1:
        raise BadQuestion(f"-k must be at least 1 (got {args.k})")
    if args.limit is not None and args.limit < 1:
        raise BadQuestion(f"--limit must be at least 1 (got {args.limit})")
    result = evaluate(args.squad, args.questions, model=args.model, k=args.k, index=args.index,
                      mode=args.mode, limit=args.limit)
    if args.json:
        print(json.dumps(result))
        return 0
    pool = Path(args.squad).name
    asked = Path(args.questions).name if args.questions else pool
    print(f"{result['questions']} questions of {asked} against the paragraphs of {pool} ({args.mode})")
    for key in ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "answer_hit@1"):
        print(f"  {key:<13} {result[key]:.3f}")
    print(f"  {'questions/s':<13} {result['questions_per_s']:.1f}")
    return 0


def _serve(args) -> int:
    from .web import AUTH_ON_COMMAND_LINE, check_host, parse_auth, serve

    if args.auth:
        print(AUTH_ON_COMMAND_LINE, file=sys.stderr)
    secret = args.auth or os.environ.get("QA_AUTH")
    if args.auth_file:
        try:
            secret = Path(args.auth_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            from .errors import QAError

            raise QAError(f"cannot read --auth-file {args.auth_file}: {exc.strerror}") from None
    auth = parse_auth(secret)
    check_host(args.host, auth, args.no_auth)
    if args.ray:
        from .cluster.serve import serve_on_ray

        return serve_on_ray(args.index, args.ray, args.replicas, host=args.host, port=args.port, auth=auth,
                            no_auth=args.no_auth)
    ensure_index(args.index)
    from .web_uploads import UploadPolicy

    policy = UploadPolicy(enabled=not args.read_only, max_file_mb=args.max_file_mb, quota_mb=args.upload_quota_mb)
    return serve(index=args.index, host=args.host, port=args.port, auth=auth, no_auth=args.no_auth, uploads=policy)


if __name__ == "__main__":
    sys.exit(main())
