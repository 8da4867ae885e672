"""Times of the chat as a person sees them, in a real browser (Debian's Chromium).

1. Question to first paint of the reply: from the Enter key to the frame in which the
   answer (passage [1]) is on the page; median of 20 questions (after 2 warm-up ones).
2. Upload to answerable: a generated 20-page PDF dropped on the page, until a question
   about its page 17 is answered from it (upload, indexing, question and reply); median
   of 3 runs, the document removed from the page between runs.

Starts `qa serve` on a temporary index of seeds/ and writes docs/chat-times.md.

    python benchmarks/chat_times.py [--questions 20] [--uploads 3]
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM, LAUNCH_ARGS, start_server  # noqa: E402

QUESTIONS = [
    "Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?",
    "Who filed most generative AI patents?",
    "中国总理呼吁什么？",
    "Warum haben die USA den Export von Chips nach China beschränkt?",
    "¿Qué riesgos mencionó el primer ministro chino?",
    "Quelles applications l'IA ouvre-t-elle ?",
    "What did the Chinese premier warn about?",
    "Which companies will unveil new products?",
    "Qui a exhorté les pays à la coopération ?",
    "How long does the exhibition last?",
]
TOPICS = ["lighthouses", "tides", "ferries", "oysters", "granite", "seabirds", "harbours", "dunes", "storms",
          "sailing", "seaweed", "bridges", "markets", "chapels", "islands", "canals", "forests", "rivers",
          "orchards", "windmills"]


def make_pdf(path: Path, pages: int = 20) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        topic = TOPICS[n % len(TOPICS)]
        y = 800
        for line in range(6):
            c.drawString(72, y, f"Chapter {n + 1} on {topic}: the survey of {topic} in district {n + 1} "
                                f"counted {(n + 3) * (line + 7)} sites in year {1990 + n}.")
            y -= 40
        c.showPage()
    c.save()


def first_paint(page, question: str) -> float:
    n = page.locator("#qa-chat .qa-turn[data-done]").count()
    page.fill("#qa-question textarea", question)
    page.evaluate("window.__t0 = performance.now()")
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function("""n => {
        if (document.querySelectorAll('#qa-chat .qa-turn[data-done] .qa-hit').length
            && document.querySelectorAll('#qa-chat .qa-turn[data-done]').length > n) {
            window.__t1 = performance.now(); return true; }
        return false; }""", arg=n, polling="raf", timeout=120000)
    return page.evaluate("window.__t1 - window.__t0") / 1000


def upload_to_answerable(page, pdf: Path) -> float:
    import time

    page.locator("#qa-side button[role='tab']", has_text="Documents").click()
    started = time.perf_counter()
    page.set_input_files("#qa-upload input[type=file]", [str(pdf)])
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('Added')",
                           timeout=600000)
    n = page.locator("#qa-chat .qa-turn[data-done]").count()
    page.fill("#qa-question textarea", "How many sites did the survey of orchards count in district 19?")
    page.press("#qa-question textarea", "Enter")
    page.wait_for_function("n => document.querySelectorAll('#qa-chat .qa-turn[data-done]').length > n", arg=n,
                           timeout=120000)
    seconds = time.perf_counter() - started
    cite = page.locator("#qa-chat .qa-turn").last.locator(".qa-hit").first.inner_text()
    if pdf.name not in cite or "p. 19" not in cite:
        raise SystemExit(f"the uploaded PDF did not answer: {cite[:200]}")
    # remove it for the next run
    page.click("#qa-removable input")
    page.locator(f'li[role="option"][aria-label="{pdf.name}"]').first.click()
    page.click("#qa-remove")
    page.wait_for_function("document.querySelector('#qa-upload-status').innerText.includes('Removed')",
                           timeout=120000)
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=20)
    ap.add_argument("--uploads", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "docs" / "chat-times.md"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from qa import build_index

    with tempfile.TemporaryDirectory(prefix="qa-times-") as tmp:
        tmp = Path(tmp)
        shutil.copytree(ROOT / "seeds", tmp / "docs")
        build_index([tmp / "docs"], index=tmp / "index", progress=False)
        make_pdf(tmp / "survey.pdf")
        proc, url = start_server(tmp / "index", tmp / "serve.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 950})
                page.goto(url)
                page.wait_for_selector("#qa-question textarea", timeout=60000)
                page.wait_for_function("document.querySelector('#qa-stats').innerText.includes('·')")
                for q in QUESTIONS[:2]:
                    first_paint(page, q)  # warm-up
                paints = [first_paint(page, QUESTIONS[i % len(QUESTIONS)]) for i in range(args.questions)]
                uploads = [upload_to_answerable(page, tmp / "survey.pdf") for _ in range(args.uploads)]
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    result = {"first_paint_median_s": round(statistics.median(paints), 3),
              "first_paint_max_s": round(max(paints), 3), "questions": len(paints),
              "upload_20_page_pdf_to_answerable_median_s": round(statistics.median(uploads), 2),
              "upload_runs_s": [round(u, 2) for u in uploads]}
    Path(args.out).write_text(
        "# Chat times in the browser\n\n"
        f"Measured by `benchmarks/chat_times.py` (Debian's Chromium, headless; `qa serve` on the seeds, "
        f"default model; {platform.machine()}, shared 2-core machine).\n\n"
        "| what | result |\n|---|---|\n"
        f"| question (Enter) to first paint of the reply, median of {len(paints)} | "
        f"{result['first_paint_median_s'] * 1000:.0f} ms (max {result['first_paint_max_s'] * 1000:.0f} ms) |\n"
        f"| upload of a 20-page PDF to answerable (drop, index, ask, reply), median of {len(uploads)} | "
        f"{result['upload_20_page_pdf_to_answerable_median_s']:.2f} s (runs: "
        + ", ".join(f"{u:.2f}" for u in result["upload_runs_s"]) + " s) |\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
