"""Screenshots of the chat for the README: a reply, the document panel, an upload.

Starts `qa serve` on a temporary index of seeds/ on a free port, drives Debian's Chromium
with Playwright, and writes docs/chat.png, docs/chat-document.png, docs/chat-upload.png.

    python scripts/screenshots.py [--out docs]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port)],
                            stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except urllib.error.HTTPError:
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("qa serve did not start:\n" + log.read_text())


def ask(page, question: str) -> None:
    before = page.locator("#qa-chat .qa-turn[data-done]").count()
    page.fill("#qa-question textarea", question)
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-turn[data-done]').length > {before}",
                           timeout=120000)
    page.wait_for_timeout(500)


def make_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Ferry timetable")
    for text in ["The ferry to Ouessant leaves Le Conquet at half past nine.",
                 "Bicycles ride the ferry for free on Sundays."]:
        c.drawString(72, 800, text)
        c.showPage()
    c.save()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    from qa import build_index

    with tempfile.TemporaryDirectory(prefix="qa-shots-") as tmp:
        tmp = Path(tmp)
        shutil.copytree(ROOT / "seeds", tmp / "docs")
        build_index([tmp / "docs"], index=tmp / "index", progress=False)
        proc, url = start_server(tmp / "index", tmp / "serve.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 950}, locale="en-US")
                page.goto(url)
                page.wait_for_selector("#qa-question textarea", timeout=60000)
                page.wait_for_function("document.querySelector('#qa-stats').innerText.includes('·')")
                ask(page, "Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?")
                ask(page, "Who filed most generative AI patents?")
                page.screenshot(path=str(out / "chat.png"))
                page.locator("#qa-chat .qa-turn").last.locator(".qa-open").first.click()
                page.wait_for_selector("#qa-doc .qa-cited")
                page.wait_for_timeout(500)
                page.screenshot(path=str(out / "chat-document.png"))
                page.locator("#qa-side button[role='tab']", has_text="Documents").click()
                make_pdf(tmp / "ferry.pdf")
                page.set_input_files("#qa-upload input[type=file]", [str(tmp / "ferry.pdf")])
                page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('Added')",
                                       timeout=180000)
                ask(page, "When does the ferry to Ouessant leave?")
                page.screenshot(path=str(out / "chat-upload.png"))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"wrote {out / 'chat.png'}, {out / 'chat-document.png'}, {out / 'chat-upload.png'}")


if __name__ == "__main__":
    main()
