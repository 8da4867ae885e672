"""Two questions sent one after the other on a slow link, in a real browser (Debian's Chromium):
how many of them the conversation ends with. Each (latency, gap) pair: the first question sent,
the second typed and sent `gap` ms later, every request of the page delayed by `latency` ms
(Chrome's network emulation); the page then left for the replies.

    python benchmarks/chat_slow_link.py URL      (a running `qa serve` over a copy of tests/test_subtitles.py's HEARING)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM, LAUNCH_ARGS  # noqa: E402

FIRST, SECOND = "Pourquoi le canal a-t-il été fermé ?", "Combien a coûté la réparation de l'écluse ?"
GRID = [(1500, 200), (1500, 2200), (1500, 3000), (800, 1200), (0, 150)]


def trial(browser, url: str, latency: int, gap: int) -> list[str]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.querySelector('#qa-stats')?.innerText.includes('·')", timeout=60000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency,
                                                   "downloadThroughput": -1, "uploadThroughput": -1})
    box = "#qa-question textarea"
    page.fill(box, FIRST)
    page.press(box, "Enter")
    page.wait_for_timeout(gap)
    page.fill(box, SECOND)
    page.press(box, "Enter")
    page.wait_for_timeout(3000 + 8 * latency)
    asked = [q.strip() for q in page.locator("#qa-chat .qa-turn[data-done] h2").all_inner_texts()]
    context.close()
    return asked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for latency, gap in GRID:
            asked = trial(browser, args.url, latency, gap)
            print(f"latency {latency:5d} ms, second sent after {gap:5d} ms: {len(asked)} of 2 answered {asked}")
        browser.close()


if __name__ == "__main__":
    main()
