"""The chat page's style and its few lines of browser script (citations, copy, scrolling,
links and the back button, focus and what a screen reader is told). No document data is ever
inserted into the script: only the page's own words (qa/web_i18n.py)."""
import json

from .web_i18n import OLD_TAGS, RTL, TEXTS

# Words the script gives to Gradio's own controls, which name them in English only.
_SCRIPT_WORDS = json.dumps({lang: {key: words[key] for key in ("reset", "back_list", "held", "document", "documents")}
                            for lang, words in TEXTS.items()}, ensure_ascii=False)

CSS = """
#qa-stats { text-align: end; font-size: 0.85em; opacity: 0.8; }
#qa-title h1 { font-size: 1.17em; margin: 0.3em 0; }
/* (on a short window, 200 % zoom on a laptop's: 640 × 400 CSS px, less the title's and the question
   box's 12rem, so that the question box is on the screen with the conversation, not below the fold) */
#qa-chat .qa-turns { height: max(7rem, min(62vh, calc(100vh - 12rem))); overflow-y: auto; border: 1px solid var(--border-color-primary);
                     border-radius: 8px; padding: 0.5em 0.8em; }
#qa-chat .qa-turns.qa-empty { height: auto; min-height: 3em; }
.qa-intro { opacity: 0.75; margin: 0.4em 0; }
.qa-folded { font-size: 0.85em; margin: 0; margin-inline-start: 0.6em; }
.qa-turn { margin-bottom: 1.4em; }
/* a long pasted question scrolls inside its own box: passage [1] stays in view below it */
.qa-asked { font-weight: 600; background: var(--background-fill-secondary); padding: 0.4em 0.6em;
             border-radius: 6px; margin: 0 0 0.5em 0; max-height: 6.5em; overflow-y: auto; }
/* the heading is the question's text; its link follows it on the line */
.qa-question { display: inline; font-weight: 600; font-size: 1em; line-height: inherit; margin: 0; padding: 0; }
.qa-link { text-decoration: none; margin-inline-start: 0.4em; font-size: 0.85em; }
.qa-hit { margin: 0 0 0.7em 0; }
.qa-compact summary { cursor: pointer; }
.qa-gist { margin: 0.15em 0 0 0; margin-inline-start: 1.4em; font-size: 0.95em; }
.qa-gist .qa-answer { font-weight: normal; background: #fef3c7; }
.qa-gist .qa-header { color: #4b5563; font-size: 0.9em; }
.qa-also { color: #4b5563; font-size: 0.85em; }
.qa-copy svg, .qa-link svg { width: 1em; height: 1em; vertical-align: -0.15em; }
/* Gradio draws every svg as a block and pads every button: the icons went under their question
   and citation, each question's box two lines high */
#qa-chat .qa-copy svg, #qa-chat .qa-link svg { display: inline-block; }
#qa-chat .qa-copy { padding: 0 0.3em; }
.qa-cite { font-size: 0.9em; }
.qa-open { color: var(--link-text-color, #2563eb); }
/* the highlights' text is dark in a dark page too (Gradio's, when the system is set to dark): the
   page's near-white letters on their yellow read at 1.2:1 */
.qa-answer { background: #fde68a; color: #1c1917; font-weight: 600; padding: 0 2px; }
.qa-score { font-size: 0.8em; padding: 0 0.4em; border-radius: 4px; cursor: help; white-space: nowrap; }
.qa-strong { background: #dcfce7; color: #166534; }
.qa-fair { background: #e0f2fe; color: #075985; }
.qa-weak { background: #fef3c7; color: #b45309; }
.qa-stale { font-size: 0.85em; padding: 0 0.4em; border-radius: 0.3em; background: #fee2e2; color: #b91c1c; }
.qa-notice { color: #1e40af; font-size: 0.9em; }
.qa-indexing { color: #92400e; font-size: 0.9em; margin: 0.25em 0; }
/* no status: no line (the column's gap above the question box stays as it was) */
#qa-indexing:not(:has(.qa-indexing)) { display: none !important; }
.qa-followup { color: #475569; font-size: 0.9em; font-style: italic; }
.qa-copy { border: none; background: none; cursor: pointer; font-size: 0.95em; opacity: 0.7; }
.qa-text { margin-top: 0.2em; }
.qa-hidden { display: none !important; }
#qa-side { position: sticky; top: 6px; align-self: flex-start; }
#qa-doc { max-height: 80vh; overflow-y: auto; }
.qa-para { display: flex; gap: 0.6em; margin: 0.3em 0; padding: 0.2em; border-radius: 4px; }
.qa-pn { min-width: 3em; text-align: end; font-size: 0.75em; opacity: 0.6; user-select: none; }
/* (left to right inside, `dir`, but still against the paragraph in a right-to-left panel) */
.qa-document[dir=rtl] .qa-pn { text-align: left; }
/* a transcript's cited passage: the time its answer is said, in the answer's colour */
.qa-pn .qa-said { background: #fde68a; color: #1c1917; padding: 0 2px; }
.qa-pt { flex: 1; }
.qa-cited { background: #fef9c3; outline: 2px solid #facc15; }
.qa-cited, .qa-cited * { color: #1c1917; }  /* (Gradio colours each element of its .prose) */
.qa-doc-title { margin: 0.4em 0; font-size: 1.1em; }
.qa-end { margin: 0.8em 0 0.2em 0; }
/* read by screen readers, not shown: "Answer:" before a highlight, "Error:", the live region;
   not copied either (a passage selected and copied held "Answer:" inside the quote) */
.qa-sr { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
         clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; user-select: none; -webkit-user-select: none; }
/* left out of a selection's plain text as the browser's own copy leaves them out (the copy's script) */
.qa-copying .qa-sr, .qa-copying .qa-pn, .qa-copying .qa-copy { display: none !important; }
/* a focus ring that shows where the keyboard is, on the page's own links and buttons */
#qa-chat a:focus-visible, #qa-chat button:focus-visible, #qa-chat summary:focus-visible,
#qa-doc a:focus-visible, #qa-doc [tabindex="-1"]:focus, #qa-doclist :focus-visible {
  outline: 3px solid #2563eb; outline-offset: 2px; border-radius: 3px; }
.qa-copy:focus-visible, .qa-copy:hover { opacity: 1; }
.qa-doc-title small { font-weight: normal; opacity: 0.7; }
.qa-filters { color: #475569; font-size: 0.9em; }
/* long names without spaces (reports/Rapport_annuel_de_la_commission_...) break anywhere rather
   than push the passage counts, the citation's end or the panel out of view */
.qa-cite, .qa-question, .qa-text, .qa-gist, .qa-doc-title, .qa-pt, #qa-doclist td, #qa-upload-status {
  overflow-wrap: anywhere; }
#qa-doclist { max-height: 70vh; overflow-y: auto; }
#qa-doclist table { table-layout: fixed; width: 100%; margin: 0; }
#qa-doclist th:last-child, #qa-doclist td:last-child { width: 5.5em; text-align: end; }
#qa-doclist td, #qa-doclist th { padding: 0.25em 0.5em; }
/* a question held until the reply before it is in (web_assets: one question at a time) */
#qa-question.qa-held { outline: 2px dashed var(--color-accent, #f97316); outline-offset: -2px; }
/* the drop area's hint above it, not over it: Gradio lays a block's label over a file box, so that on a
   phone its four lines covered "Drop File Here" */
#qa-upload [data-testid=block-label] { position: static; border-radius: 0; }
#qa-upload { height: auto !important; }
#qa-doclist .qa-open { padding: 0; }  /* (Gradio pads links: a wrapped name's first line was indented) */
/* A page in a language written right to left (the script sets <html dir="rtl">): Gradio writes
   dir="ltr" on each of its blocks, labels and boxes; they follow the page instead (rows and columns
   mirrored, labels on the right). Passages, questions and citations keep their own (dir="auto"), and
   the document panel's margins read left to right ("§1", `qa.render.document_panel`). */
html[dir=rtl] .gradio-container [dir=ltr]:not(.qa-sr):not(.qa-pn) { direction: rtl; }
/* (the passages slider stays left to right: Gradio fills its track from the left, up to the thumb) */
html[dir=rtl] #qa-k .slider_input_container { direction: ltr; }
/* examples are questions in their documents' languages: each in its own direction ("What does “Notes”
   say?" came out as "?What does “Notes” say" on an Arabic page) */
#qa-examples .gallery-item, #qa-examples .gallery-item * { unicode-bidi: plaintext; }
/* a question typed takes its direction from its own letters, as a passage does: a French question
   in an Arabic page reads left to right, an Arabic one in an English page right to left */
#qa-question textarea { unicode-bidi: plaintext; }
/* a narrow chat column: the question box gets the whole width (NARROW, in the page's head) */
/* Gradio's own Source Sans Pro SemiBold (weight 600: questions, highlighted answers, the title)
   holds only a handful of letters, so that a bold "Bestellung" mixed two fonts ("ʙestellung"):
   weight 600 is the full Bold face */
@font-face { font-family: "Source Sans Pro"; font-weight: 600; font-style: normal; font-display: swap;
             src: url("static/fonts/SourceSansPro/SourceSansPro-Bold.woff2") format("woff2"); }
"""

# A narrow chat column (a phone; a tablet or a window of half a laptop's screen, where the document
# panel stands beside it): the question box gets the whole width, the passages slider goes below it
# (beside it, the box was 141 px wide on a 820 px tablet). In the head as it is: Gradio's processing
# of `CSS` drops `@container` rules.
NARROW = """<style>
#qa-main { container-type: inline-size; }
@container (max-width: 640px) { #qa-question { flex-basis: 100% !important; } }
</style>"""

# Printed (or saved as PDF): the whole conversation with its citations, not the chat box's visible
# part (its first questions were scrolled out of the print, the last reply cut at the box's height),
# nor the question box, filters, examples, side panel, buttons and Gradio's footer around it. In the
# head as it is: Gradio's processing of `CSS` scopes each rule inside its `.contain`, which the footer
# is not, and the `!important`s outweigh its scoped rules.
PRINT = """<style>
@media print {
  #qa-chat .qa-turns { height: auto !important; overflow: visible !important; border: none !important;
                       padding: 0 !important; }
  .qa-asked { max-height: none !important; overflow: visible !important; }
  #qa-main > :not(#qa-chat), #qa-side, .gradio-container footer, .qa-copy, .qa-link { display: none !important; }
  .qa-asked, .qa-cite { break-after: avoid; }
}
</style>"""

# A dark page (Gradio follows the system's dark mode: `.dark` on the body): the notes' greys, the
# notices' blue and the indexing line's brown were written for a white page, and read at 1.3-2.6:1 on
# Gradio's near-black. In the head as it is: Gradio scopes `CSS` inside its `.contain`, below the body.
DARK = """<style>
.dark .qa-followup, .dark .qa-filters, .dark .qa-also, .dark .qa-gist .qa-header { color: #a1a1aa !important; }
.dark .qa-notice { color: #93c5fd !important; }
.dark .qa-indexing { color: #fcd34d !important; }
</style>"""

JS_TEMPLATE = r"""
<script>
(() => {
  const $ = (sel) => document.querySelector(sel);
  let lastCitation = null;
  let backTo = null;  // the citation's place (turn, passage) to find it again if the chat was drawn anew
  // the request of a document opened from a citation or the list, until the panel shows its answer
  let focusDocument = null;
  let shownTurn = 0;
  let live = null;

  // One polite live region for what just happened (a reply, "Copied"), not the whole history:
  // the chat's HTML is drawn anew on every turn and would be read again from the top.
  function announce(parts) {
    if (!live) {
      live = document.createElement("div");
      live.id = "qa-live"; live.className = "qa-sr";
      live.setAttribute("role", "status"); live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = "";
    setTimeout(() => { for (const p of parts) if (p) live.appendChild(p); }, 50);
  }

  function span(text, lang) {
    const s = document.createElement("span");
    s.textContent = text + " ";
    if (lang) s.lang = lang;
    return s;
  }

  // What a screen reader says when a reply arrives: its notes, then passage [1]'s citation and answer.
  function announceTurn(turn) {
    const reply = turn.querySelector(".qa-reply");
    if (!reply) return;
    const parts = [...reply.querySelectorAll(":scope > .qa-followup, :scope > .qa-filters, :scope > .qa-notice, :scope > .qa-none, :scope > .qa-error, :scope > .qa-wait")]
      .map((e) => span(e.textContent.trim()));
    const hit = reply.querySelector(".qa-hit");
    if (hit) {
      parts.push(span(hit.querySelector(".qa-cite").textContent.trim()));
      const text = hit.querySelector(".qa-text");
      const mark = text && text.querySelector("mark.qa-answer");
      const body = (mark ? mark.previousElementSibling.textContent + mark.textContent : text ? text.textContent : "").trim();
      parts.push(span(body.slice(0, 600), text && text.lang));
    }
    announce(parts);
  }

  function focusSoon(find, tries = 20) {
    const target = find();
    if (target) {
      if (!target.hasAttribute("tabindex") && !target.matches("a[href], button, summary, input, textarea")) target.tabIndex = -1;
      target.focus({preventScroll: true});
      target.scrollIntoView({block: "center"});
      if (document.activeElement === target) return;
    }
    if (tries > 0) setTimeout(() => focusSoon(find, tries - 1), 50);
  }

  function citationAgain() {
    if (lastCitation && lastCitation.isConnected) return lastCitation;
    if (!backTo) return null;
    return document.querySelector(`#qa-turn-${backTo.turn} .qa-open[data-passage="${backTo.passage}"]`);
  }

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
    return req;
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
    announce([span(button.dataset.done)]);
    setTimeout(() => { button.innerHTML = icon; }, 1500);
  }

  // The question being asked, kept for this tab until its reply is drawn: a reload in between,
  // or Gradio mounting the page again when a stopped server is back, asks it again (on_load).
  function rememberAsking() {
    const box = $("#qa-question textarea");
    const q = box && box.value.trim();
    if (q) try { sessionStorage.setItem("qa-asking", q); sessionStorage.removeItem("qa-draft"); } catch (e) {}
  }
  // A question typed but not sent, kept for this tab: Gradio mounting the page again (a server
  // back after an outage, a reload) empties the box; the load puts the draft back (qa/web.py).
  document.addEventListener("input", (event) => {
    const box = event.target.closest?.("#qa-question textarea");
    if (!box) return;
    try {
      if (box.value.trim()) sessionStorage.setItem("qa-draft", box.value);
      else sessionStorage.removeItem("qa-draft");
    } catch (e) {}
  }, true);
  // One question at a time per tab: a question sent while the one before is on its way or being
  // answered waits for its reply, then is asked (onChat). Sent at once, on a slow link or a busy
  // server it was lost: Gradio refused its Enter while the first was on its way, or the first's
  // reply, drawn after it, drew the conversation without it. (Not held past a minute: a reply that
  // never comes does not hold the box for ever.)
  let turnSeen = {n: null, at: 0};
  function busy() {
    const now = Date.now();
    if (window.qaSending != null && now - (window.qaSentAt || 0) < 30000) return true;
    const turns = document.querySelectorAll("#qa-chat .qa-turn");
    const last = turns[turns.length - 1];
    if (!last || last.dataset.done) return false;
    if (turnSeen.n !== last.id) turnSeen = {n: last.id, at: now};
    return now - turnSeen.at < 60000;
  }
  function held(event) {
    if (!busy()) { rememberAsking(); return; }
    event.preventDefault(); event.stopImmediatePropagation();
    // said and shown: else nothing answers the Enter for as long as the reply before takes
    const q = $("#qa-question");
    if (!window.qaQueued && q && q.querySelector("textarea")?.value.trim()) {
      const words = WORDS[(document.documentElement.lang || "en").split("-")[0]] || WORDS.en;
      q.classList.add("qa-held"); q.title = words.held; announce([span(words.held)]);
    }
    window.qaQueued = true;
  }
  function askQueued() {
    if (busy()) return;
    if (!window.qaQueued) {
      // an example clicked while a question was held: asked once that question's reply is in
      const box = $("#qa-question textarea");
      if ((window.qaExamples || []).length && box && !box.value.trim()) askExample(window.qaExamples.shift());
      return;
    }
    window.qaQueued = false;
    const q = $("#qa-question");
    if (q) { q.classList.remove("qa-held"); q.removeAttribute("title"); }
    const box = $("#qa-question textarea");
    if (box && box.value.trim()) setTimeout(() => $("#qa-question .submit-button")?.click(), 0);
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.target.closest?.("#qa-question, #qa-since, #qa-until")) held(event);
    // Escape in the document panel is its "Back to the answer" (or to the list), as it closes a dialog:
    // a keyboard reader at the cited paragraph had to Tab or scroll back to the link
    const back = event.key === "Escape" && !event.isComposing && event.target.closest?.("#qa-doc") && $("#qa-doc .qa-back");
    if (back) { event.preventDefault(); back.click(); return; }
    // Escape in the question box goes to the last reply's passage [1] (its citation), Escape in the
    // conversation back to the box: a keyboard reader reached a reply by Shift+Tab from its last
    // passage up, three stops a passage
    if (event.key !== "Escape" || event.isComposing || event.defaultPrevented) return;
    if (event.target.closest?.("#qa-question")) {
      const first = firstOfLastReply();
      if (first) { event.preventDefault(); focusSoon(() => first); }
    } else if (event.target.closest?.("#qa-chat")) {
      const box = $("#qa-question textarea");
      if (box) { event.preventDefault(); box.focus(); }
    }
  }, true);
  function firstOfLastReply() {
    const turns = document.querySelectorAll("#qa-chat .qa-turn[data-done]");
    const turn = turns[turns.length - 1];
    return turn && (turn.querySelector(".qa-reply .qa-hit .qa-open") || turn.querySelector(".qa-question"));
  }
  // An example ("Try") is asked as a question typed in the box: held as one while the reply before
  // it is coming. Through Gradio it took two round trips of its own before it asked, not held, so
  // that on a slow link it could be dropped as a typed question was (session 19).
  function askExample(text) {
    const box = $("#qa-question textarea");
    if (!box || !text) return;
    // a question already held in the box (typed and sent during a reply) is not replaced by the
    // example: the example waits for it, and is asked after it (askQueued)
    if (window.qaQueued && box.value.trim() && box.value.trim() !== text) {
      (window.qaExamples = window.qaExamples || []).push(text);
      const words = WORDS[(document.documentElement.lang || "en").split("-")[0]] || WORDS.en;
      announce([span(words.held)]);
      return;
    }
    box.value = text;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    box.focus();
    if (busy()) { held(new Event("submit")); return; }
    setTimeout(() => $("#qa-question .submit-button")?.click(), 0);
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("#qa-question .submit-button")) { held(event); if (event.defaultPrevented) return; }
    const example = event.target.closest("#qa-examples .gallery-item");
    if (example) { event.preventDefault(); event.stopImmediatePropagation(); askExample(example.textContent.trim()); return; }
    const open = event.target.closest(".qa-open");
    if (open) {
      event.preventDefault(); event.stopPropagation();
      if (!open.classList.contains("qa-page")) {
        lastCitation = open;
        const turn = open.closest(".qa-turn");
        // (a document opened from the list: its back link goes back to the list)
        backTo = turn ? {turn: turn.dataset.turn, passage: open.dataset.passage}
          : open.closest("#qa-doclist") ? {listed: open.dataset.doc} : null;
      }
      focusDocument = openDocument(open);
      return;
    }
    const copy = event.target.closest(".qa-copy");
    if (copy) { event.preventDefault(); event.stopPropagation(); copyText(copy, copy.dataset.copy); return; }
    const back = event.target.closest(".qa-back, .qa-back-end");
    // (a turn folded since: its question)
    if (back && backTo && backTo.listed) {
      event.preventDefault();
      $("#qa-docs-tab-button")?.click();
      focusSoon(() => $(`#qa-doclist .qa-open[data-doc="${backTo.listed}"]`));
      return;
    }
    if (back) { event.preventDefault(); const c = citationAgain() || (backTo && $(`#qa-q-${backTo.turn}`)); if (c) focusSoon(() => c); return; }
    const link = event.target.closest(".qa-link");
    if (link) { event.preventDefault(); copyText(link, link.href); history.pushState({}, "", link.getAttribute("href")); return; }
  }, true);

  // A reply (or a document's passage) selected and copied (Ctrl+C) into an e-mail: the clipboard's
  // HTML is the text's own markup (paragraphs, the question's heading, citations as links, the
  // highlighted answer), not Chrome's copy of Gradio's styles inlined on every element with the
  // icons' svg (57 kB for a reply of five passages). The plain text is the browser's own: what is
  // not copied (`user-select: none`, the hidden "Answer:", paragraph numbers) is left out of both.
  const KEPT = new Set(["href", "lang", "dir", "class", "open"]);
  const UNCOPIED = ".qa-sr, .qa-pn, .qa-copy, .qa-link, svg, button, input, textarea, script, style";
  function copiedHtml(range) {
    const holder = document.createElement("div");
    holder.appendChild(range.cloneContents());
    for (const e of holder.querySelectorAll(UNCOPIED)) e.remove();
    // a folded passage shows its summary only: so does the e-mail (its text was not seen, nor copied)
    for (const d of holder.querySelectorAll("details:not([open])"))
      for (const child of [...d.childNodes]) if (!(child.nodeType === 1 && child.tagName === "SUMMARY")) child.remove();
    for (const e of holder.querySelectorAll("*")) {
      for (const a of [...e.attributes]) if (!KEPT.has(a.name)) e.removeAttribute(a.name);
      if (e.tagName === "A") {
        const href = e.getAttribute("href");
        if (!href || href.startsWith("#")) e.removeAttribute("href");
        else e.setAttribute("href", new URL(href, location.href).href);
      }
    }
    // (details and summary are drawn as plain blocks in mail readers that know them not)
    return holder.innerHTML.replace(/<(\/?)(details|summary)\b[^>]*>/g, "<$1div>");
  }
  document.addEventListener("copy", (event) => {
    const sel = getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount || !event.clipboardData) return;
    const range = sel.getRangeAt(0), node = range.commonAncestorContainer;
    if (!(node.nodeType === 1 ? node : node.parentElement)?.closest("#qa-chat, #qa-doc")) return;
    const root = document.documentElement;
    root.classList.add("qa-copying");
    const text = sel.toString();
    root.classList.remove("qa-copying");
    event.clipboardData.setData("text/plain", text);
    event.clipboardData.setData("text/html", copiedHtml(range));
    event.preventDefault();
  });

  function scrollChatTo(turn) {
    const box = $("#qa-chat .qa-turns");
    if (!box || !turn) return;
    box.scrollTop += turn.getBoundingClientRect().top - box.getBoundingClientRect().top;
  }

  // A new turn: show its beginning (the question, then passage [1]); when answered, give it
  // its own history entry so that the back button goes through the questions asked.
  function onChat() {
    const turns = document.querySelectorAll("#qa-chat .qa-turn");
    setTimeout(askQueued, 0);
    pageLanguage();
    if (!turns.length) return;
    const turn = turns[turns.length - 1];
    const n = Number(turn.dataset.turn);
    if (n !== shownTurn) {
      // a reload on an earlier question's address (after the back button): that question in view
      const here = !shownTurn && [...turns].find((t) => t.dataset.link === location.search);
      shownTurn = n; scrollChatTo(here || turn); if (!turn.dataset.done) announceTurn(turn);
    }
    if (turn.dataset.done && !turn.dataset.pushed) {
      turn.dataset.pushed = "1";
      announceTurn(turn);
      remember(turn);
      scrollChatTo(turn);
      const link = turn.dataset.link;
      // (a folded answer asked again: its address is the question's own, no entry of its own)
      if (location.search === link || new URLSearchParams(location.search).has("again")) history.replaceState({turn: n}, "", link);
      else history.pushState({turn: n}, "", link);
    }
  }

  // The page in the language the server picked from Accept-Language (the conversation's data-lang),
  // laid out right to left in RTL ones. Gradio picks its labels' language from navigator.language among
  // the languages it ships its own words in (no Italian, no bare "zh"; Catalan when qa has Spanish),
  // so that the labels and the replies could be in two languages: it is told the server's.
  function pageLanguage() {
    const region = $("#qa-chat .qa-turns[data-lang]");
    if (!region) return;
    const lang = region.dataset.lang, root = document.documentElement;
    const dir = RTL.includes(lang) ? "rtl" : "ltr";
    if (root.dir !== dir) root.dir = dir;
    if ((root.lang || "").split("-")[0] !== lang) gradioLocale(lang);
    if (root.lang !== lang) root.lang = lang;
  }
  // (Gradio's `changeLocale`, from its own module, the one the page loaded: the same instance)
  let localeTold = null;
  function gradioLocale(lang) {
    if (localeTold === lang) return;
    localeTold = lang;
    const core = performance.getEntriesByType("resource").map((e) => e.name)
      .find((name) => /\/assets\/core-[\w-]+\.js(\?.*)?$/.test(name));
    if (core) import(core).then((m) => m.changeLocale && m.changeLocale(lang)).catch(() => {});
  }

  // This tab's questions (their links), so that a reload asks them again (qa/web_app.py, restore).
  function remember(turn) {
    const links = [...document.querySelectorAll("#qa-chat .qa-turn[data-done]")].map((t) => t.dataset.link);
    try {
      sessionStorage.setItem("qa-turns", JSON.stringify(links.slice(-30)));
      // (a question too long to search whole: its link asks the part searched, `.qa-cut` says so)
      const asking = sessionStorage.getItem("qa-asking"), q = new URLSearchParams(turn.dataset.link).get("q");
      if (asking === q || (q && turn.querySelector(".qa-cut") && asking?.startsWith(q))) sessionStorage.removeItem("qa-asking");
    } catch (e) {}
  }

  // An opened document: the keyboard goes to the cited passage (or, on another page of the
  // document, its title), where a screen reader reads on.
  function onDocument() {
    const cited = $("#qa-doc .qa-cited");
    if (backTo && backTo.listed) {
      const words = WORDS[(document.documentElement.lang || "en").split("-")[0]] || WORDS.en;
      for (const back of document.querySelectorAll("#qa-doc .qa-back, #qa-doc .qa-back-end"))
        if (back.textContent !== words.back_list) back.textContent = words.back_list;
    }
    // (the panel's earlier document, still there while the request is answered, is not focused: the
    // focus went to it and, when it was replaced, to the page's body)
    if (focusDocument && $(`#qa-doc .qa-shown[data-req="${CSS.escape(focusDocument)}"]`)) {
      focusDocument = null;
      focusSoon(() => $("#qa-doc .qa-cited") || $("#qa-doc .qa-doc-title") || $("#qa-doc .qa-error"));
    } else if (cited) cited.scrollIntoView({block: "center"});
  }

  window.addEventListener("popstate", (event) => {
    const n = event.state && event.state.turn;
    const turn = n && document.getElementById(`qa-turn-${n}`);
    // the same number may be another question now (a new conversation numbers from 1 again)
    if (turn && turn.dataset.link === location.search) scrollChatTo(turn);
    else location.reload();
  });

  // Gradio's own controls, named in the page's language: the question box by its label, the
  // passages slider by its label, its reset button, the upload area by its hint.
  const WORDS = __WORDS__;
  const RTL = __RTL__;
  // Told before Gradio draws the page (this script runs first): its tabs' labels are not drawn again
  // when told later. The server's pick (`web_i18n.pick_lang`) from the same list the browser sends as
  // Accept-Language; the conversation's data-lang has the last word (pageLanguage).
  const OLD_TAGS = __OLD_TAGS__;  // withdrawn tags some browsers send ("iw" for Hebrew)
  const browserLang = (navigator.languages || [navigator.language]).map((tag) => (tag || "").toLowerCase().split("-")[0])
    .map((lang) => OLD_TAGS[lang] || lang).find((lang) => lang in WORDS) || "en";
  if ((document.documentElement.lang || "").split("-")[0] !== browserLang) gradioLocale(browserLang);
  const rtlNow = RTL.includes(browserLang) ? "rtl" : "ltr";
  if (document.documentElement.dir !== rtlNow) document.documentElement.dir = rtlNow;
  function labelControls() {
    const words = WORDS[(document.documentElement.lang || "en").split("-")[0]] || WORDS.en;
    const name = (e, label) => { if (e && label && e.getAttribute("aria-label") !== label) e.setAttribute("aria-label", label); };
    const q = $("#qa-question");
    if (q) name(q.querySelector("textarea"), (q.querySelector("[data-testid=block-info]") || {}).textContent?.trim());
    // (Escape: from the conversation to the question box; from the box to the last reply's passage [1])
    const box = q && q.querySelector("textarea"), first = firstOfLastReply();
    if (box && box.getAttribute("aria-keyshortcuts") !== "Escape") box.setAttribute("aria-keyshortcuts", "Escape");
    if (first && first.getAttribute("aria-keyshortcuts") !== "Escape") first.setAttribute("aria-keyshortcuts", "Escape");
    const k = $("#qa-k");
    if (k) {
      const label = (k.querySelector("[data-testid=block-info]") || {}).textContent?.trim();
      name(k.querySelector("input[type=number]"), label);
      name(k.querySelector("input[type=range]"), label);
      name(k.querySelector(".reset-button"), words.reset);
    }
    // the side panel's tabs: Gradio does not draw their labels again when its language is told after them
    for (const [id, label] of [["#qa-doc-tab-button", words.document], ["#qa-docs-tab-button", words.documents]]) {
      const tab = $(id);
      if (tab && label && tab.textContent.trim() !== label) tab.textContent = label;
    }
    const up = $("#qa-upload");
    if (up) name(up.querySelector("button.upload-container"), (up.querySelector("[data-testid=block-label]") || {}).textContent?.trim());
  }
  let labelling = 0;
  new MutationObserver(() => { clearTimeout(labelling); labelling = setTimeout(labelControls, 50); })
    .observe(document.documentElement, {childList: true, subtree: true});

  // "Indexing report.pdf…": read out once when it appears or names other files, not at each redraw
  let indexingSaid = "";
  function onIndexing() {
    const text = ($("#qa-indexing .qa-indexing") || {}).textContent?.trim() || "";
    if (text && text !== indexingSaid) announce([span(text)]);
    indexingSaid = text;
  }

  const watch = () => {
    const chat = $("#qa-chat"), doc = $("#qa-doc"), indexing = $("#qa-indexing");
    if (!chat || !doc || !indexing) { setTimeout(watch, 100); return; }
    new MutationObserver(onChat).observe(chat, {childList: true, subtree: true, attributes: true});
    new MutationObserver(onDocument).observe(doc, {childList: true, subtree: true});
    new MutationObserver(onIndexing).observe(indexing, {childList: true, subtree: true, characterData: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch); else watch();
})();
</script>
"""

JS = NARROW + PRINT + DARK + (JS_TEMPLATE.replace("__WORDS__", _SCRIPT_WORDS).replace("__RTL__", json.dumps(sorted(RTL)))
               .replace("__OLD_TAGS__", json.dumps(OLD_TAGS)))
