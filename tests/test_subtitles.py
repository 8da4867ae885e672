"""Subtitles (.srt, .vtt) as transcripts: cues joined into paragraphs, each passage found by a
question and cited with the time its words are said (`Passage.time`), in the JSON, the CLI, the
chat's citation and its document panel."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from qa.readers import read_document

# a public hearing (French), WebVTT with a title, a note, voices, a style block and cue settings
HEARING = """WEBVTT - Audition publique sur le canal de la Vesle

STYLE
::cue { color: yellow }

NOTE enregistrement de la séance du 5 mars, salle du conseil

intro
00:11:40.000 --> 00:11:43.500 align:start
<v Présidente Claire Morel>Mesdames et messieurs, la séance est ouverte.

00:11:43.800 --> 00:11:47.000
<v Présidente Claire Morel>Nous entendons ce soir
le directeur des travaux.

00:11:51.000 --> 00:11:54.000
<v Paul Renaud>Merci, madame la présidente.

00:11:54.200 --> 00:11:57.600
<v Paul Renaud>Je voudrais d'abord rappeler
pourquoi le canal a été fermé.

00:11:57.800 --> 00:12:01.000
<v Paul Renaud>Une écluse s'était effondrée
pendant la crue de janvier.

00:12:05.000 --> 00:12:08.200
<v Paul Renaud>La réparation de l'écluse
a coûté <i>quatre millions</i>

00:12:08.400 --> 00:12:11.900
<v Paul Renaud>d'euros, payés pour moitié
par la région Grand Est.

00:12:12.100 --> 00:12:15.000
<v Paul Renaud>Les travaux ont duré onze mois.

00:12:16.000 --> 00:12:19.000
<v Présidente Claire Morel>Quand le canal rouvrira-t-il
aux bateaux de plaisance ?

00:12:19.500 --> 00:12:23.000
<v Paul Renaud>Le canal rouvrira à la navigation
le premier juin.
"""

# an interview (English), SubRip with italics, a sentence across cues and a pause
INTERVIEW = """1
00:03:10,000 --> 00:03:13,200
I grew up in a fishing village
on the north coast.

2
00:03:13,400 --> 00:03:16,000
My father repaired nets near the café.

3
00:03:41,000 --> 00:03:44,500
The old bridge was closed in March 2021

4
00:03:44,700 --> 00:03:48,000
because engineers found <i>deep cracks</i>
in two of its piers.

5
00:03:48,200 --> 00:03:51,000
For a year, children took a ferry to school.

6
00:04:20,000 --> 00:04:23,000
Now I teach history at the secondary school in Wick.
"""

# YouTube's automatic captions (English): word timings, each cue rolling up the line before, no punctuation
AUTO = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.500 align:start position:0%
today<00:00:00.400><c> we</c><00:00:00.800><c> look</c><00:00:01.200><c> at</c><00:00:01.600><c> sourdough</c>

00:00:02.500 --> 00:00:02.510 align:start position:0%
today we look at sourdough

00:00:02.510 --> 00:00:05.000 align:start position:0%
today we look at sourdough
the<00:00:03.000><c> starter</c><00:00:03.500><c> needs</c><00:00:04.000><c> feeding</c><00:00:04.500><c> twice</c>

00:00:05.000 --> 00:00:07.500 align:start position:0%
the starter needs feeding twice
a<00:00:05.500><c> day</c><00:00:06.000><c> with</c><00:00:06.500><c> rye</c><00:00:07.000><c> flour</c>
"""

FILES = {"audition-canal.vtt": HEARING.encode(), "interview-bridge.srt": INTERVIEW.encode("cp1252"),
         "sourdough-auto.vtt": AUTO.encode()}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("subs") / "docs"
    root.mkdir()
    for name, data in FILES.items():
        (root / name).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def index(folder, tmp_path_factory) -> Path:
    from qa import build_index

    directory = tmp_path_factory.mktemp("subs-index")
    report = build_index([folder], index=directory, progress=False)
    assert report.skipped == [] and report.added == len(FILES)
    return directory


@pytest.fixture(scope="module")
def retriever(index):
    from qa import Retriever

    retriever = Retriever.open(index)
    yield retriever
    retriever.close()


def test_cues_joined_into_paragraphs_of_speakers(folder):
    doc = read_document(folder / "audition-canal.vtt", "audition-canal.vtt")
    assert doc.title == "Audition publique sur le canal de la Vesle" and doc.meta["timed"] is True
    paragraphs = [doc.text[b.start:b.end] for b in doc.blocks]
    assert paragraphs == [
        "Présidente Claire Morel: Mesdames et messieurs, la séance est ouverte. Nous entendons ce soir le "
        "directeur des travaux.",
        "Paul Renaud: Merci, madame la présidente. Je voudrais d'abord rappeler pourquoi le canal a été fermé. "
        "Une écluse s'était effondrée pendant la crue de janvier.",
        "La réparation de l'écluse a coûté quatre millions d'euros, payés pour moitié par la région Grand Est. "
        "Les travaux ont duré onze mois.",
        "Présidente Claire Morel: Quand le canal rouvrira-t-il aux bateaux de plaisance ?",
        "Paul Renaud: Le canal rouvrira à la navigation le premier juin."]
    # a block starts at its first cue's second; each later cue's words at theirs
    assert [b.page for b in doc.blocks] == [700, 711, 725, 736, 739]
    third = doc.blocks[2]
    assert third.page_at(doc.text.index("d'euros", third.start)) == 728
    assert third.page_at(doc.text.index("Les travaux", third.start)) == 732
    # every cue's place and second, for the answer sentence's time: the first of a block at its start
    cues = doc.meta["cues"]
    assert len(cues) == 10 and cues[0] == [0, 700] and cues[5] == [third.start, 725]
    assert cues[6] == [doc.text.index("d'euros", third.start), 728]


def test_srt_in_a_legacy_code_page_and_auto_captions_read_once(folder):
    interview = read_document(folder / "interview-bridge.srt", "interview-bridge.srt")
    assert [interview.text[b.start:b.end] for b in interview.blocks] == [
        "I grew up in a fishing village on the north coast. My father repaired nets near the café.",
        "The old bridge was closed in March 2021 because engineers found deep cracks in two of its piers. "
        "For a year, children took a ferry to school.",
        "Now I teach history at the secondary school in Wick."]
    assert interview.title is None
    auto = read_document(folder / "sourdough-auto.vtt", "sourdough-auto.vtt")
    assert auto.text == "today we look at sourdough the starter needs feeding twice a day with rye flour"


# time: when the passage's first words are said; cited: when its answer sentence's are (the cue it begins in)
@pytest.mark.parametrize("question, source, time, cited, words", [
    ("Combien a coûté la réparation de l'écluse ?", "audition-canal.vtt", "00:12:05", "00:12:05",
     "quatre millions d'euros"),
    # the passage opens with "Merci, madame la présidente." (00:11:51); the answer is said from 00:11:54
    ("Pourquoi le canal a-t-il été fermé ?", "audition-canal.vtt", "00:11:51", "00:11:54",
     "Une écluse s'était effondrée"),
    ("Why was the old bridge closed?", "interview-bridge.srt", "00:03:41", "00:03:41",
     "deep cracks in two of its piers"),
    ("Where does he teach history?", "interview-bridge.srt", "00:04:20", "00:04:20", "secondary school in Wick"),
    ("How often does the sourdough starter need feeding?", "sourdough-auto.vtt", "00:00:00", "00:00:00",
     "twice a day"),  # no punctuation: one "sentence", said from the start
])
def test_question_finds_the_passage_cited_with_its_time(retriever, folder, question, source, time, cited, words):
    from qa.render import citation

    hits = retriever.search(question, k=3)
    assert hits[0].source == source, [(h.source, h.text[:60]) for h in hits]
    hit = hits[0]
    assert words in hit.text and hit.time == time and hit.page is None
    assert hit.answer.time == cited, hit.answer.text
    assert read_document(folder / source, source).text[hit.start:hit.end] == hit.text
    assert f" · {cited}" in citation(hit) and "p. " not in citation(hit)
    if cited != time:
        assert time not in citation(hit)


def test_time_in_the_cli_json_and_text(index):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    question = "Combien a coûté la réparation de l'écluse ?"
    result = subprocess.run([sys.executable, "-m", "qa", "ask", question, "--json", "--index", str(index), "-k", "1"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    hit = json.loads(result.stdout)[0]
    assert (hit["source"], hit["time"], hit["page"], hit["paragraph"]) == ("audition-canal.vtt", "00:12:05", None, 3)
    result = subprocess.run([sys.executable, "-m", "qa", "ask", question, "--index", str(index), "-k", "1"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert "[1] audition-canal.vtt §3 (00:12:05)" in result.stdout, result.stdout
    # a passage of several cues: cited at the time its answer is said, in the JSON and the text
    question = "Pourquoi le canal a-t-il été fermé ?"
    result = subprocess.run([sys.executable, "-m", "qa", "ask", question, "--json", "--index", str(index), "-k", "1"],
                            capture_output=True, text=True, env=env, timeout=600)
    hit = json.loads(result.stdout)[0]
    assert (hit["time"], hit["answer"]["time"]) == ("00:11:51", "00:11:54")
    result = subprocess.run([sys.executable, "-m", "qa", "ask", question, "--index", str(index), "-k", "1"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert "[1] audition-canal.vtt §2 (00:11:54)" in result.stdout, result.stdout


def test_document_panel_shows_each_passage_time(retriever):
    from qa.render import document_panel

    hit = retriever.search("Quand le canal rouvrira-t-il ?", k=1)[0]
    panel = document_panel(retriever.document(hit.doc_id), hit.id, None, "fr")
    for time in ("00:11:40", "00:11:51", "00:12:05", "00:12:16", "00:12:19"):
        assert f"<br>{time}" in panel
    assert "p. " not in panel


def test_other_documents_keep_their_pages(tmp_path):
    """A passage of an ordinary document has no time; a slide keeps its page."""
    from qa import Retriever, build_index

    import pptx

    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Horaires"
    slide.placeholders[1].text = "La piscine ouvre à midi le dimanche."
    docs = tmp_path / "docs"
    docs.mkdir()
    deck.save(docs / "piscine.pptx")
    build_index([docs], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        hit = retriever.search("Quand ouvre la piscine le dimanche ?", k=1)[0]
    finally:
        retriever.close()
    assert (hit.page, hit.time) == (1, None)


def test_bad_subtitles_skipped_with_a_one_line_reason(tmp_path):
    from qa import build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.srt").write_text("These are my notes about the film.\nNo timings here.\n", "utf-8")
    (docs / "header-only.vtt").write_text("WEBVTT\n\nNOTE nothing said yet\n", "utf-8")
    (docs / "noise.vtt").write_bytes(bytes(range(256)) * 40)
    (docs / "empty.srt").write_bytes(b"")
    (docs / "fine.srt").write_text(INTERVIEW, "utf-8")
    report = build_index([docs], index=tmp_path / "index", progress=False)
    reasons = dict(report.skipped)
    assert report.added == 1 and set(reasons) == {"notes.srt", "header-only.vtt", "noise.vtt", "empty.srt"}, reasons
    assert all("\n" not in reason for reason in reasons.values())
    assert reasons["notes.srt"] == "no subtitles in .srt"
    assert reasons["header-only.vtt"] == "no subtitles in .vtt"


# broadcast captions (SubRip) of a council meeting past its first hour: ">>" marks a new speaker
BROADCAST = """1
01:12:05,000 --> 01:12:08,000
>> Good evening, the council is in session.

2
01:12:08,200 --> 01:12:11,000
Tonight we vote on the harbour budget

3
01:12:11,200 --> 01:12:14,000
>> Thank you, madam mayor. The harbour needs

4
01:12:14,200 --> 01:12:17,000
a new breakwater before winter.
"""


def test_broadcast_captions_start_a_paragraph_at_each_speaker_and_are_cited_past_the_first_hour(tmp_path):
    """A caption's ">>" starts a new speaker's paragraph although the cue before ends no sentence
    (the mark is not kept), and a time past the first hour reads hours, minutes and seconds."""
    from qa.citations import clock, timed_place

    (tmp_path / "council.srt").write_text(BROADCAST, "utf-8")
    doc = read_document(tmp_path / "council.srt", "council.srt")
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [
        "Good evening, the council is in session. Tonight we vote on the harbour budget",
        "Thank you, madam mayor. The harbour needs a new breakwater before winter."]
    second = doc.blocks[1]
    assert timed_place(second.page, doc.meta) == (None, "01:12:11")
    assert timed_place(second.page_at(doc.text.index("a new breakwater")), doc.meta) == (None, "01:12:14")
    assert clock(10 * 3600 + 59 * 60 + 59) == "10:59:59" and clock(3600) == "01:00:00"


# Two sentences said with a pause of 3 s between them, in scripts with their own full stops
# (Devanagari ।, Armenian ։, Ethiopic ።, Urdu ۔): the pause after a sentence ends a paragraph, as
# it does after "." (`qa.script_stops`, session 22). They were one paragraph: their stops were not
# read as ends of sentences, so a whole talk ran on to MAX_PARAGRAPH_CHARS.
OWN_STOP_TALKS = {
    "hi": ("नहर की मरम्मत पिछले साल पूरी हुई।", "अगली बैठक सोमवार को होगी।"),
    "hy": ("Ջրանցքի վերանորոգումն ավարտվեց անցյալ տարի։", "Հաջորդ նիստը երկուշաբթի է։"),
    "am": ("የቦዩ ጥገና ባለፈው ዓመት ተጠናቀቀ።", "ቀጣዩ ስብሰባ ሰኞ ይሆናል።"),
    "ur": ("نہر کی مرمت پچھلے سال مکمل ہوئی۔", "اگلی میٹنگ پیر کو ہوگی۔"),
}


@pytest.mark.parametrize("lang", sorted(OWN_STOP_TALKS))
def test_a_pause_after_a_sentence_ending_with_its_scripts_full_stop_ends_the_paragraph(tmp_path, lang):
    first, second = OWN_STOP_TALKS[lang]
    (tmp_path / "talk.srt").write_text(
        f"1\n00:00:01,000 --> 00:00:04,000\n{first}\n\n2\n00:00:07,000 --> 00:00:10,000\n{second}\n", "utf-8")
    doc = read_document(tmp_path / "talk.srt", "talk.srt")
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [first, second]
    assert [b.page for b in doc.blocks] == [1, 7]


# (mutants23) a cue whose sentence ends inside its closing quote or bracket ends a sentence as well:
# the pause after it ends the paragraph (`subtitles._SENTENCE_END`; the talks above end bare)
@pytest.mark.parametrize("said", ['The mayor said: "The canal is repaired."', "Il a dit : «Le canal est réparé.»",
                                  "(The canal was repaired last year.)"])
def test_a_pause_after_a_sentence_closed_by_a_quote_or_bracket_ends_the_paragraph(tmp_path, said):
    (tmp_path / "talk.srt").write_text(
        f"1\n00:00:01,000 --> 00:00:04,000\n{said}\n\n2\n00:00:07,000 --> 00:00:10,000\nNext item: the budget.\n",
        "utf-8")
    doc = read_document(tmp_path / "talk.srt", "talk.srt")
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [said, "Next item: the budget."]
