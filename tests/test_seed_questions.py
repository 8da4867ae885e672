"""Paraphrased questions about the French seed article, in nine languages (PARAPHRASED: 30
written with words that differ from the paragraph's): the paragraph
that answers each must come first. Paragraphs of seeds/000_00b606b2294fa235.txt:
1 the premier's call for cooperation; 2 UN: Chinese inventors filed most generative-AI
patents; 3 uses of AI and US limits on chip exports; 4 Li Qiang's speech in Shanghai at the
WAIC opening; 5 new products at the fair; 6 cross-border data, trade, infrastructure, risks;
7 no exception, global regulation and technical standards."""
from __future__ import annotations

import pytest

from conftest import SEED_NAME

QUESTIONS = [
    ("fr", "Qui a annoncé que la Chine domine les demandes de brevets sur l'IA générative ?", 2),
    ("fr", "Quelles nouveautés les sociétés technologiques chinoises vont-elles présenter pendant l'événement ?", 5),
    ("fr", "Qu'a dit Li Qiang sur les atouts propres à chaque nation ?", 4),
    ("en", "Which organisation reported on patent filings for generative AI?", 2),
    ("en", "What did the premier say about moving data across borders?", 6),
    ("zh", "美国为什么限制向中国出口芯片？", 3),
    ("zh", "哪个国家的发明者申请了最多的生成式人工智能专利？", 2),
    ("zh", "总理认为哪些风险需要国际协调？", 6),
    ("de", "Wer hat die meisten Patente für generative KI angemeldet?", 2),
    ("de", "Wo fand die Weltkonferenz für künstliche Intelligenz statt?", 4),
    ("de", "Welche neuen Produkte wollen chinesische Firmen auf der Messe vorstellen?", 5),
    ("de", "Wofür plädierte der Regierungschef in Bezug auf technische Normen?", 7),
    ("es", "¿Por qué Estados Unidos limitó la exportación de chips a China?", 3),
    ("es", "¿Qué dijo el primer ministro sobre la libre circulación de datos entre fronteras?", 6),
    ("es", "¿Quién dio a conocer el informe sobre las patentes de inteligencia artificial generativa?", 2),
    ("es", "¿Según el primer ministro, qué país puede quedar al margen de las reglas?", 7),
]

PARAPHRASED = [
    # 1 the premier's call for cooperation, amid the China-US rivalry
    ("fr", "Sur fond de quelle concurrence entre deux puissances le chef du gouvernement chinois a-t-il lancé son appel ?", 1),
    ("en", "Against what backdrop of competition between two superpowers did the Chinese premier speak?", 1),
    ("it", "Quale rivalità fa da sfondo all'appello del capo del governo cinese?", 1),
    # 2 UN: Chinese inventors filed most generative-AI patents; Chinese firms catching up
    ("en", "Which body said that inventors from China account for most international patents in generative AI?", 2),
    ("it", "Chi ha depositato la maggior parte dei brevetti internazionali sull'IA generativa?", 2),
    ("pt", "Em que área as empresas chinesas tentam alcançar as concorrentes americanas?", 2),
    ("ru", "Изобретатели какой страны подали больше всего международных патентов на генеративный ИИ?", 2),
    ("ja", "生成AIの国際特許を最も多く出願したのはどの国の発明者ですか？", 2),
    ("fr", "Selon les Nations unies, de quel pays viennent la plupart des inventions protégées en IA générative ?", 2),
    # 3 uses of AI; US limits on exports of advanced chips
    ("en", "Why did America curb sales of high-end semiconductors to China?", 3),
    ("de", "Warum hat Amerika die Ausfuhr leistungsstarker Halbleiter nach China beschränkt?", 3),
    ("pt", "Que tipo de componentes os Estados Unidos deixaram de vender à China?", 3),
    ("ru", "Почему США ограничили продажу мощных микросхем в Китай?", 3),
    ("ja", "アメリカが中国への半導体輸出を制限した理由は何ですか？", 3),
    ("es", "¿Qué aplicaciones de la IA se mencionan, desde el reconocimiento de voz hasta los vídeos falsificados?", 3),
    # 4 Li Qiang's speech in Shanghai at the opening of the WAIC
    ("en", "In which city did Li Qiang address the opening of the AI conference?", 4),
    ("it", "In quale città si è aperta la conferenza mondiale sull'intelligenza artificiale?", 4),
    ("pt", "Segundo Li Qiang, em que domínios cada nação tem vantagens próprias?", 4),
    ("de", "Welche Stärken besitzt laut dem Regierungschef jedes Land?", 4),
    ("zh", "李强认为每个国家在人工智能方面拥有哪些优势？", 4),
    # 5 new products at the fair
    ("en", "What are Chinese high-tech firms expected to unveil during the event lasting several days?", 5),
    ("it", "Che cosa presenteranno le aziende cinesi durante la fiera?", 5),
    ("ja", "中国のハイテク企業は展示会で何を発表する予定ですか？", 5),
    # 6 cross-border data, trade, infrastructure; risks needing coordination
    ("it", "Che cosa ha chiesto il premier riguardo ai flussi di dati tra paesi?", 6),
    ("pt", "Que perigos exigem uma coordenação entre os países, segundo o primeiro-ministro?", 6),
    ("de", "Vor welchen Gefahren der rasanten KI-Entwicklung warnte der Premier?", 6),
    ("ja", "首相はデータの国境を越えた流通について何と述べましたか？", 6),
    # 7 no exception; global regulation, technical standards
    ("en", "Which nation did the premier say could be exempt?", 7),
    ("pt", "O que o primeiro-ministro propôs criar a nível mundial para a IA?", 7),
    ("ru", "К созданию чего призвал премьер, говоря о технических стандартах?", 7),
]

# Misses of PARAPHRASED today (the answering paragraph is second or lower), by kind:
# - metonymy and hypernyms across languages: "America" / "os Estados Unidos" for the chips
#   paragraph (3), where the encoder prefers paragraph 2's "homologues américaines";
# - words that share nothing with the paragraph's: "componentes" (puces), "Stärken"
#   (avantages), "Gefahren"/"perigos" (risques), "fiera"/"展示会" (salon);
# - "criar a nível mundial" (7) pulled to Li Qiang's call for cooperation (4).
# Word translation by the encoder (session 9) put three of the earlier misses first (pt 2,
# de 3, pt 6) and one earlier pass second (en 7: "premier" meets paragraph 6's "Premier
# ministre"): 21 of 30 first, 19 before.
PARAPHRASED_MISSES = {
    ("en", "Why did America curb sales of high-end semiconductors to China?", 3),
    ("pt", "Que tipo de componentes os Estados Unidos deixaram de vender à China?", 3),
    ("ru", "Почему США ограничили продажу мощных микросхем в Китай?", 3),
    ("de", "Welche Stärken besitzt laut dem Regierungschef jedes Land?", 4),
    ("it", "Che cosa presenteranno le aziende cinesi durante la fiera?", 5),
    ("ja", "中国のハイテク企業は展示会で何を発表する予定ですか？", 5),
    ("de", "Vor welchen Gefahren der rasanten KI-Entwicklung warnte der Premier?", 6),
    ("en", "Which nation did the premier say could be exempt?", 7),
    ("pt", "O que o primeiro-ministro propôs criar a nível mundial para a IA?", 7),
}

# Written with the others, missed today: metonymy (Washington, Pékin) and words that share no
# stem with the text (règles / réglementation) are beyond what USE-m3 and BM25 connect, and
# the cross-lingual ones rank the answer second by a hair (since sentence vectors are pooled
# from the passage's forward pass, the Chinese city question ranks paragraph 6 over 4 by
# 0.002, and the Chinese chip-export question, a miss before, passes). Kept to measure progress.
KNOWN_MISSES = [
    ("fr", "Pourquoi Washington a-t-il restreint la vente de semi-conducteurs à Pékin ?", 3),
    ("fr", "Quel genre de règles le dirigeant chinois veut-il voir adopter à l'échelle de la planète ?", 7),
    ("en", "What uses of artificial intelligence worried the United States?", 3),
    ("zh", "李强在哪个城市发表讲话？", 4),
    # first before word translation (session 9): "premier" now also meets paragraph 6's
    # "Premier ministre", which passes 4 by 0.006
    ("en", "In which city was the AI conference held where the premier spoke?", 4),
]
# Session 15's word forms first tipped two near-ties the other way (this English city question,
# and "Welche Stärken..." in PARAPHRASED_MISSES): the paragraphs' lengths had grown by the tokens
# a hyphen before a clitic joined ("a-t-il": "at", "til"), which the clitic rule took out again
# (TOKENS_VERSION 12).


@pytest.mark.parametrize("lang,question,paragraph", QUESTIONS, ids=[f"{q[0]}-{i}" for i, q in enumerate(QUESTIONS)])
def test_answering_paragraph_comes_first(retriever, lang, question, paragraph):
    top = retriever.search(question, k=3)[0]
    assert top.source == SEED_NAME
    assert top.paragraph == paragraph, (question, top.paragraph, top.text[:80])


@pytest.mark.xfail(reason="beyond the default model today; see KNOWN_MISSES", strict=True, raises=AssertionError)
@pytest.mark.parametrize("lang,question,paragraph", KNOWN_MISSES, ids=[f"{q[0]}-miss{i}" for i, q in enumerate(KNOWN_MISSES)])
def test_known_misses(retriever, lang, question, paragraph):
    test_answering_paragraph_comes_first(retriever, lang, question, paragraph)


@pytest.mark.parametrize("lang,question,paragraph", [
    pytest.param(*q, marks=pytest.mark.xfail(reason="see PARAPHRASED_MISSES", strict=True,
                                                 raises=AssertionError)) if q in PARAPHRASED_MISSES
    else q for q in PARAPHRASED], ids=[f"para-{q[0]}-{i}" for i, q in enumerate(PARAPHRASED)])
def test_paraphrased_questions(retriever, lang, question, paragraph):
    test_answering_paragraph_comes_first(retriever, lang, question, paragraph)
