"""The chat page's style and its few lines of browser script (citations, copy, scrolling,
links and the back button). No document data is ever inserted into the script."""

CSS = """
#qa-stats { text-align: right; font-size: 0.85em; opacity: 0.8; }
#qa-chat .qa-turns { height: 62vh; overflow-y: auto; border: 1px solid var(--border-color-primary);
                     border-radius: 8px; padding: 0.5em 0.8em; }
#qa-chat .qa-turns.qa-empty { height: auto; min-height: 3em; }
.qa-intro { opacity: 0.75; margin: 0.4em 0; }
.qa-turn { margin-bottom: 1.4em; }
/* a long pasted question scrolls inside its own box: passage [1] stays in view below it */
.qa-question { font-weight: 600; background: var(--background-fill-secondary); padding: 0.4em 0.6em;
               border-radius: 6px; margin-bottom: 0.5em; max-height: 6.5em; overflow-y: auto; }
.qa-link { text-decoration: none; margin-left: 0.4em; font-size: 0.85em; }
.qa-hit { margin: 0 0 0.7em 0; }
.qa-compact summary { cursor: pointer; }
.qa-gist { margin: 0.15em 0 0 1.4em; font-size: 0.95em; }
.qa-gist .qa-answer { font-weight: normal; background: #fef3c7; }
.qa-gist .qa-header { color: #4b5563; font-size: 0.9em; }
.qa-also { color: #4b5563; font-size: 0.85em; }
.qa-copy svg, .qa-link svg { width: 1em; height: 1em; vertical-align: -0.15em; }
.qa-cite { font-size: 0.9em; }
.qa-open { color: var(--link-text-color, #2563eb); }
.qa-answer { background: #fde68a; color: inherit; font-weight: 600; padding: 0 2px; }
.qa-score { font-size: 0.8em; padding: 0 0.4em; border-radius: 4px; cursor: help; }
.qa-strong { background: #dcfce7; color: #166534; }
.qa-fair { background: #e0f2fe; color: #075985; }
.qa-weak { background: #fef3c7; color: #b45309; }
.qa-stale { font-size: 0.85em; padding: 0 0.4em; border-radius: 0.3em; background: #fee2e2; color: #b91c1c; }
.qa-notice { color: #1e40af; font-size: 0.9em; }
.qa-followup { color: #475569; font-size: 0.9em; font-style: italic; }
.qa-copy { border: none; background: none; cursor: pointer; font-size: 0.95em; opacity: 0.7; }
.qa-text { margin-top: 0.2em; }
.qa-hidden { display: none !important; }
#qa-side { position: sticky; top: 6px; align-self: flex-start; }
#qa-doc { max-height: 80vh; overflow-y: auto; }
.qa-para { display: flex; gap: 0.6em; margin: 0.3em 0; padding: 0.2em; border-radius: 4px; }
.qa-pn { min-width: 3em; text-align: right; font-size: 0.75em; opacity: 0.6; user-select: none; }
.qa-pt { flex: 1; }
.qa-cited { background: #fef9c3; outline: 2px solid #facc15; }
.qa-doc-title { margin: 0.4em 0; }
.qa-doc-title small { font-weight: normal; opacity: 0.7; }
"""

JS = r"""
<script>
(() => {
  const $ = (sel) => document.querySelector(sel);
  let lastCitation = null;
  let shownTurn = 0;

  function setHidden(id, value) {
    const box = $(`#${id} textarea`) || $(`#${id} input`);
    box.value = value;
    box.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function openDocument(link) {
    const d = link.dataset;
    const req = [d.doc, d.passage || "", d.a0 || "", d.a1 || "", d.pageno || ""].join(":");
    setHidden("qa-open-req", req);
    setTimeout(() => $("#qa-open-btn").click(), 0);
  }

  // The clipboard API is only there on https or localhost: elsewhere, a selected textarea.
  async function copyText(button, text) {
    try { await navigator.clipboard.writeText(text); }
    catch (e) {
      const area = document.createElement("textarea");
      area.value = text; document.body.appendChild(area); area.select();
      document.execCommand("copy"); area.remove();
    }
    const icon = button.innerHTML;
    button.textContent = "✓ " + button.dataset.done;
    setTimeout(() => { button.innerHTML = icon; }, 1500);
  }

  document.addEventListener("click", (event) => {
    const open = event.target.closest(".qa-open");
    if (open) { event.preventDefault(); event.stopPropagation(); if (!open.classList.contains("qa-page")) lastCitation = open; openDocument(open); return; }
    const copy = event.target.closest(".qa-copy");
    if (copy) { event.preventDefault(); event.stopPropagation(); copyText(copy, copy.dataset.copy); return; }
    const back = event.target.closest(".qa-back");
    if (back) { event.preventDefault(); if (lastCitation && lastCitation.isConnected) lastCitation.scrollIntoView({block: "center"}); return; }
    const link = event.target.closest(".qa-link");
    if (link) { event.preventDefault(); copyText(link, link.href); history.pushState({}, "", link.getAttribute("href")); return; }
  }, true);

  function scrollChatTo(turn) {
    const box = $("#qa-chat .qa-turns");
    if (!box || !turn) return;
    box.scrollTop += turn.getBoundingClientRect().top - box.getBoundingClientRect().top;
  }

  // A new turn: show its beginning (the question, then passage [1]); when answered, give it
  // its own history entry so that the back button goes through the questions asked.
  function onChat() {
    const turns = document.querySelectorAll("#qa-chat .qa-turn");
    if (!turns.length) return;
    const turn = turns[turns.length - 1];
    const n = Number(turn.dataset.turn);
    if (n !== shownTurn) { shownTurn = n; scrollChatTo(turn); }
    if (turn.dataset.done && !turn.dataset.pushed) {
      turn.dataset.pushed = "1";
      remember();
      scrollChatTo(turn);
      const link = turn.dataset.link;
      if (location.search === link) history.replaceState({turn: n}, "", link);
      else history.pushState({turn: n}, "", link);
    }
  }

  // This tab's questions (their links), so that a reload asks them again (qa/web_app.py, restore).
  function remember() {
    const links = [...document.querySelectorAll("#qa-chat .qa-turn[data-done]")].map((t) => t.dataset.link);
    try { sessionStorage.setItem("qa-turns", JSON.stringify(links.slice(-30))); } catch (e) {}
  }

  function onDocument() {
    const cited = $("#qa-doc .qa-cited");
    if (cited) cited.scrollIntoView({block: "center"});
  }

  window.addEventListener("popstate", (event) => {
    const n = event.state && event.state.turn;
    const turn = n && document.getElementById(`qa-turn-${n}`);
    // the same number may be another question now (a new conversation numbers from 1 again)
    if (turn && turn.dataset.link === location.search) scrollChatTo(turn);
    else location.reload();
  });

  const watch = () => {
    const chat = $("#qa-chat"), doc = $("#qa-doc");
    if (!chat || !doc) { setTimeout(watch, 100); return; }
    new MutationObserver(onChat).observe(chat, {childList: true, subtree: true, attributes: true});
    new MutationObserver(onDocument).observe(doc, {childList: true, subtree: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch); else watch();
})();
</script>
"""
