"""The chat: a real `qa serve` process, queried with gradio_client and a real browser."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from qa import Retriever, build_index
from qa.records import Answer, Passage
from qa.render import reply
from conftest import ROOT, SEEDS, SEED_NAME

HOSTILE = """Rapport sur les ventes de pommes

Les ventes de pommes bio ont doublé en 2023 <script>alert('xss-script')</script> selon la coopérative.

Le verger utilise <img src=x onerror="alert('xss-img')"> et un [lien](javascript:alert('xss-link')) ainsi que **gras** et ![image](http://127.0.0.1:9/x.png) et $x^2$.
"""
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(proc: subprocess.Popen, url: str, seconds: float = 300) -> bool:
    """Wait for the server to answer HTTP (any status); False if it died or timed out."""
    deadline = time.time() + seconds
    while proc.poll() is None and time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.5)
    return False


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`qa serve` on a free port over an index of the seeds plus a hostile document."""
    root = tmp_path_factory.mktemp("web")
    docs = root / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "ventes.md").write_text(HOSTILE, encoding="utf-8")
    index = root / "index"
    build_index([docs], index=index, progress=False)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port)],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_up(proc, url):
        proc.kill()
        pytest.fail("qa serve did not start:\n" + (root / "serve.log").read_text())
    yield {"url": url, "index": index, "root": root}
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def client(served):
    from gradio_client import Client

    return Client(served["url"], verbose=False)


QUESTIONS = [
    "Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?",
    "Who filed most generative AI patents?",
    "中国总理呼吁什么？",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_api_returns_the_same_passages_as_the_python_api(served, client, question):
    got = client.predict(question, 5, api_name="/ask")
    expected = [h.to_dict() for h in Retriever.open(served["index"]).search(question, 5)]
    assert got == expected
    assert got[0]["source"] == SEED_NAME and got[0]["answer"]["text"] in got[0]["text"]


def test_api_bad_question_is_a_clear_error_and_server_keeps_serving(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="empty"):
        client.predict("   ", 5, api_name="/ask")
    assert client.predict("brevets", 1, api_name="/ask")[0]["paragraph"] == 2


def test_api_document_by_id_only(client):
    hits = client.predict("brevets", 1, api_name="/ask")
    doc = client.predict(hits[0]["doc_id"], api_name="/document")
    assert doc["source"] == SEED_NAME
    assert doc["text"][hits[0]["start"]:hits[0]["end"]] == hits[0]["text"]
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError):
        client.predict(10**6, api_name="/document")


def test_weak_reply_says_no_passage_answers(retriever):
    hit = retriever.search("brevets", k=1)[0]
    hit.weak = True
    html = reply([hit])
    assert "No passage in the documents answers this question" in html and "weak match" in html


def test_reply_escapes_markup():
    p = Passage(rank=1, score=0.5, text="<b>x</b> **y** [l](javascript:z)", source="a.md", paragraph=1,
                start=0, end=31, page=None, title=None, date=None, answer=Answer("<b>x</b>", 0, 8), id=1)
    html = reply([p])
    assert "<b>x</b>" not in html and "**y**" not in html and "javascript:" not in html
    assert '<mark class="qa-answer">' in html


# ------------------------------------------------------------------ real browser

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/install-browser.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


def ask_in_page(page, question: str, count: int) -> None:
    page.fill("#qa-question textarea", question)
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-hit').length >= {count}", timeout=120000)


def test_browser_french_and_english_questions(served, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 1100})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(served["url"])
    page.wait_for_selector("#qa-question textarea", timeout=60000)
    stats = page.inner_text("#qa-stats")
    assert "2 documents" in stats.replace("**", "") and "use-m3" in stats

    ask_in_page(page, QUESTIONS[0], 1)
    first = page.locator("#qa-chat .qa-hit").first
    cite = first.locator(".qa-cite").inner_text()
    assert "§4" in cite and SEED_NAME in cite
    mark = first.locator(".qa-text mark.qa-answer")
    assert mark.is_visible() and "Shanghai" in mark.inner_text()
    assert len(mark.inner_text()) < len(first.locator(".qa-text").inner_text())

    n = page.locator("#qa-chat .qa-hit").count()
    ask_in_page(page, QUESTIONS[1], n + 1)
    hits = page.locator("#qa-chat .qa-hit")
    latest = hits.nth(n)
    assert "§2" in latest.locator(".qa-cite").inner_text() and SEED_NAME in latest.inner_text()
    assert "brevets" in latest.locator(".qa-text mark.qa-answer").inner_text()
    # history stays on the page: both questions are there
    chat = page.inner_text("#qa-chat")
    assert "Conférence mondiale" in chat and "generative AI patents" in chat
    # the passage in its document: the neighbouring paragraphs open on a click
    latest.locator("details summary").click()
    assert latest.locator("details .qa-near").first.is_visible()
    page.locator("#qa-chat").get_by_text(QUESTIONS[1]).last.evaluate("e => e.scrollIntoView({block: 'start'})")
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    page.screenshot(path=str(docs / "chat.png"), full_page=True)
    assert not dialogs


def test_browser_shows_document_markup_as_text(served, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served["url"])
    page.wait_for_selector("#qa-question textarea", timeout=60000)
    ask_in_page(page, "Le verger utilise une image et un lien, et les ventes de pommes bio ?", 2)
    page.wait_for_timeout(1000)
    chat = page.inner_text("#qa-chat")
    assert "<script>alert('xss-script')</script>" in chat
    assert "<img src=x onerror=\"alert('xss-img')\">" in chat
    assert "[lien](javascript:alert('xss-link'))" in chat and "**gras**" in chat and "$x^2$" in chat
    assert page.locator("#qa-chat img[src='x']").count() == 0
    assert page.locator("#qa-chat a[href^='javascript']").count() == 0
    assert page.locator("#qa-chat script").count() == 0
    assert not any("x.png" in url for url in requests)
    assert not dialogs


# ------------------------------------------------------------------ reliability and security

def test_api_bad_questions_and_k(client):
    from gradio_client.exceptions import AppError

    for question, k in [("x" * 200_000, 3), ("🍎🍏", 3), ("'; DROP TABLE passages; --", 3), ("brevets", 10**9),
                        ("<script>alert(1)</script>", 2)]:
        hits = client.predict(question, k, api_name="/ask")
        assert 1 <= len(hits) <= 100
    for question, k in [("", 5), ("\x00", 5), ("brevets", 0), ("brevets", -1)]:
        with pytest.raises(AppError) as info:
            client.predict(question, k, api_name="/ask")
        assert "Traceback" not in str(info.value)
    assert client.predict("brevets", 1, api_name="/ask")[0]["paragraph"] == 2


PROBES = ["/documents/../../etc/passwd", "/gradio_api/file=/etc/passwd", "/gradio_api/file=../../etc/passwd",
          "/gradio_api/file=%2Fetc%2Fpasswd", "/file=/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
          "/static/../../../../etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd",
          "/gradio_api/file=..%2F..%2F..%2Fetc%2Fpasswd"]


def test_no_file_outside_the_index_is_served(served):
    import http.client

    host, port = served["url"].removeprefix("http://").split(":")
    docs = served["root"] / "docs"
    probes = PROBES + [f"/gradio_api/file={docs / SEED_NAME}", f"/gradio_api/file={docs.parent / 'outside.txt'}"]
    (docs.parent / "outside.txt").write_text("secret")
    for path in probes:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", path)  # sent as is: no client-side normalisation of ../
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        assert response.status == 404, (path, response.status)
        assert "root:" not in body and "secret" not in body


def test_document_api_takes_only_ids(client):
    from gradio_client.exceptions import AppError

    for bad in ["../../etc/passwd", "/etc/passwd", "000_00b606b2294fa235.txt"]:
        with pytest.raises(AppError):
            client.predict(bad, api_name="/document")


def test_no_server_paths_in_replies(served, client):
    import urllib.request

    secrets = [str(served["root"]), str(ROOT), os.path.expanduser("~") + "/"]
    pages = [urllib.request.urlopen(served["url"] + p, timeout=10).read().decode() for p in
             ("/", "/config", "/gradio_api/info")]
    pages.append(json.dumps(client.predict("brevets", 5, api_name="/ask"), ensure_ascii=False))
    pages.append(json.dumps(client.predict(1, api_name="/document"), ensure_ascii=False))
    from gradio_client.exceptions import AppError

    try:
        client.predict(10**6, api_name="/document")
    except AppError as exc:
        pages.append(str(exc))
    for page in pages:
        for secret in secrets:
            assert secret not in page


def test_server_picks_up_a_reindex(served, client):
    docs = served["root"] / "docs"
    (docs / "kiwis.md").write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent en avril à Rungis.",
                                   encoding="utf-8")
    build_index([docs], index=served["index"], progress=False)
    hits = client.predict("Quand arrivent les kiwis à Rungis ?", 1, api_name="/ask")
    assert hits[0]["source"] == "kiwis.md"


def test_non_loopback_host_needs_auth(served):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "qa", "serve", "--host", "0.0.0.0", "--index",
                             str(served["index"]), "--port", str(free_port())], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("qa: error: --host 0.0.0.0 would let anyone") and "--auth" in result.stderr
    from qa.web import check_host

    assert "WITHOUT a login" in check_host("0.0.0.0", None, no_auth=True)
    assert "login required" in check_host("192.0.2.1", ("u", "p"), no_auth=False)
    assert check_host("127.0.0.1", None, False) is None and check_host("::1", None, False) is None


def test_auth_is_required_when_set(served):
    from gradio_client import Client

    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), QA_AUTH="reader:s3cret-pass")
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(served["index"]), "--port",
                             str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_up(proc, url)
        with pytest.raises(Exception):
            Client(url, verbose=False).predict("brevets", 1, api_name="/ask")
        with pytest.raises(Exception):
            Client(url, auth=("reader", "wrong"), verbose=False)
        authed = Client(url, auth=("reader", "s3cret-pass"), verbose=False)
        assert authed.predict("brevets", 1, api_name="/ask")[0]["paragraph"] == 2
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_concurrent_clients_get_correct_answers(served):
    """A short version of benchmarks/load.py: 8 clients at once, every reply checked."""
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    questions = QUESTIONS + ["brevets", "Quels risques ?", "Warum wurden Chips beschränkt?"]
    retriever = Retriever.open(served["index"])
    expected = {q: [h.to_dict() for h in retriever.search(q, 3)] for q in questions}

    def one_client(n: int) -> int:
        c = Client(served["url"], verbose=False)
        bad = 0
        for i in range(3):
            q = questions[(n + i) % len(questions)]
            bad += c.predict(q, 3, api_name="/ask") != expected[q]
        return bad

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(one_client, range(8))) == 0
