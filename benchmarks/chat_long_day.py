"""A day's questions in one tab of the chat, in a real browser (Debian's Chromium): for each
question the wall time from Enter to its reply being drawn, and every tenth question the page's
JavaScript heap (after a garbage collection), its DOM nodes (live and as Chrome counts them,
detached ones included), the chat's HTML, the tab's sessionStorage and history; then a reload's
time (the kept conversation asked again).

    python benchmarks/chat_long_day.py URL [--questions 60]
        (a running `qa serve` over tests/test_web_daily.py's `write_daily` folder)
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM, LAUNCH_ARGS  # noqa: E402

TOWNS = ["Lyon", "Nantes", "Lille", "Brest", "Rennes", "Nice", "Metz", "Caen", "Dijon", "Tours"]
OTHERS = ["Who picks the apples in Kent?", "Night trains from Vienna?", "متى ستعود المياه إلى حي الزهراء؟",
          "Quel est le coût des travaux sur les canalisations ?", "Pourquoi ?"]


def question(i: int) -> str:
    return OTHERS[i % 5] if i % 3 else f"Quand la bibliothèque de {TOWNS[i % 10]} ouvre-t-elle le samedi ? ({i})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--questions", type=int, default=60)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        page = context.new_page()
        page.goto(args.url)
        page.wait_for_function("document.querySelector('#qa-stats')?.innerText.includes('·')", timeout=60000)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        times = []
        print("question  seconds  heap_MB  nodes(chrome)  nodes(live)  chat_html  sessionStorage  history")
        for i in range(args.questions):
            before = page.locator("#qa-chat .qa-turn[data-done]").count()
            start = time.time()
            page.fill("#qa-question textarea", question(i))
            page.press("#qa-question textarea", "Enter")
            page.wait_for_function(f"document.querySelectorAll('#qa-chat .qa-turn[data-done]').length > {before}",
                                   timeout=120000)
            times.append(time.time() - start)
            if i % 10 == 9 or i == 0:
                cdp.send("HeapProfiler.collectGarbage")
                m = {x["name"]: x["value"] for x in cdp.send("Performance.getMetrics")["metrics"]}
                live = page.evaluate("document.getElementsByTagName('*').length")
                html = page.evaluate("document.querySelector('#qa-chat').innerHTML.length")
                kept = page.evaluate("JSON.stringify(sessionStorage).length")
                print(f"{i + 1:8d}  {times[-1]:7.2f}  {m['JSHeapUsedSize'] / 1e6:7.1f}  {int(m['Nodes']):13d}  "
                      f"{live:11d}  {html:9d}  {kept:14d}  {page.evaluate('history.length'):7d}", flush=True)
        print(f"median seconds: questions 1-10 {statistics.median(times[:10]):.2f}, "
              f"last 10 {statistics.median(times[-10:]):.2f}")
        start = time.time()
        page.reload()
        page.wait_for_function("document.querySelectorAll('#qa-chat .qa-turn[data-done]').length >= "
                               f"{min(args.questions, 30)}", timeout=120000)
        print(f"reload: {time.time() - start:.2f} s, {page.locator('#qa-chat .qa-turn').count()} turns drawn")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
