"""Japanese and Chinese words as the lexical index breaks them: a word in traditional, simplified and
Japanese characters is one token; Chinese simplified before its words are broken, so that traditional
and simplified text give the same words (ICU breaks them otherwise as written: docs/quality.md,
"Session 20: Japanese words kept whole"); and a Japanese question finding its paragraph by BM25 alone
(benchmarks/data/ja20, written by hand). Sentences and expected tokens by hand."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.language import query_tokens, tokenize

JA_DOCS = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "ja20" / "ja_docs"


def test_a_japanese_word_meets_its_traditional_and_simplified_forms():
    # 東京 / 东京, 會議 / 会議 / 会议: one token whichever characters it is written in
    assert "东京" in tokenize("東京", "zh") and "东京" in tokenize("东京", "zh")
    assert "会议" in tokenize("會議", "zh") and "会议" in tokenize("会議室の予約", "ja")


@pytest.mark.parametrize("traditional, simplified", [
    # ICU breaks these otherwise as written in traditional characters (发动机 / 发动, 机;
    # 设计师 / 设计, 师): Chinese is simplified before its words are broken
    ("發動機指示器也可用於內燃機", "发动机指示器也可用于内燃机"),
    ("當代中國設計師的作品也列在其中", "当代中国设计师的作品也列在其中"),
    ("軟件與雲服務", "软件与云服务"),
])
def test_traditional_and_simplified_chinese_give_the_same_tokens(traditional, simplified):
    assert tokenize(traditional, "zh") == tokenize(simplified, "zh")
    assert query_tokens(traditional, "zh") == query_tokens(simplified, "zh")


@pytest.fixture(scope="module")
def ja_retriever(tmp_path_factory):
    from qa import Retriever, build_index

    folder = tmp_path_factory.mktemp("ja")
    shutil.copytree(JA_DOCS, folder / "docs")
    build_index([folder / "docs"], index=folder / "index", progress=False)
    retriever = Retriever.open(folder / "index")
    yield retriever
    retriever.close()


@pytest.mark.parametrize("question, doc, passage", [
    ("健康診断の会場はどこですか", "kenkou_shindan", "本社3階の大会議室"),
    ("通信費の補助はいくらですか", "shanai_tsuchi_zaitaku", "月額3,000円"),
    ("従業員は週何日まで在宅勤務できますか", "shanai_tsuchi_zaitaku", "週3日に引き上げ"),
    ("東京都の自動運転バスの運賃", "news_jidou_unten_bus", "運賃は無料"),
])
def test_a_japanese_question_finds_its_paragraph_first_by_words_alone(ja_retriever, question, doc, passage):
    hits = ja_retriever.search(question, k=3, mode="lexical")
    assert hits and Path(hits[0].source).stem == doc and passage in hits[0].text
