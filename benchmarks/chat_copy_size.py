"""What a reply selected and copied (Ctrl+C) puts on the clipboard, in a real browser (chromium):
the sizes of its HTML and plain text, for one question asked in the chat at URL.

    python benchmarks/chat_copy_size.py http://127.0.0.1:7860 "Pourquoi le canal a-t-il été fermé ?"
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from test_web import CHROMIUM, LAUNCH_ARGS, ask_in_page, open_page, select_and_copy  # noqa: E402


def main(url: str, question: str) -> dict:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = open_page(browser, url)
        ask_in_page(page, question)
        text, html = select_and_copy(page, "#qa-turn-1")
        passages = page.locator("#qa-turn-1 .qa-hit").count()
        browser.close()
    return {"question": question, "passages": passages, "html_chars": len(html), "text_chars": len(text),
            "styles": html.count("style="), "svg": html.count("<svg")}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2]), ensure_ascii=False))
