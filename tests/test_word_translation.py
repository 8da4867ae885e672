"""Word translation by the encoder: a question's words meet the index's words in another language."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from qa import Retriever, build_index
from qa.fusion import WORDS_WEIGHT
from qa.language import TOKENS_VERSION, query_tokens, tokenize
from qa.layout import current_data
from qa.lexical_plan import lexical_search
from qa.store import DB_NAME
from qa.word_translation import WORDS_VERSION, content_words

# French paragraphs alike but for the trade: only its word tells them apart, and no English
# question word is spelled as any French one.
SHOP = ("Chaque matin, le {} du village ouvrait sa boutique avant l'aube et servait les habitants "
        "jusqu'au soir, six jours par semaine.")
TRADES = ["boulanger", "forgeron", "cordonnier", "pêcheur", "menuisier", "jardinier", "tailleur", "potier"]
QUESTION = "When did the baker open his shop?"


def write_docs(folder, trades):
    folder.mkdir(exist_ok=True)
    for trade in trades:
        (folder / f"{trade}.txt").write_text(SHOP.format(trade), encoding="utf-8")


@pytest.fixture(scope="module")
def shops(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shops")
    write_docs(folder / "docs", TRADES)
    build_index([folder / "docs"], index=folder / "index", progress=False)
    retriever = Retriever.open(folder / "index")
    yield retriever
    retriever.close()


def test_the_index_stores_its_words_and_baker_meets_boulanger(shops):
    store = shops.store
    vocabulary = store.word_vocabulary(WORDS_VERSION, shops.encoder.dimension)
    assert vocabulary is not None and len(vocabulary.tokens) == len({w for t in TRADES for w in content_words(
        SHOP.format(t), "fr")})
    # BM25 alone finds nothing: no word of the question is a word of the paragraphs
    assert lexical_search(store, query_tokens(QUESTION, "en"), 10) == []
    terms = vocabulary.terms(shops.encoder.encode_queries(content_words(QUESTION, "en")))
    assert tokenize("boulanger", "fr")[0] in terms and tokenize("boutique", "fr")[0] in terms
    assert not {tokenize(t, "fr")[0] for t in TRADES[1:]} & set(terms)
    # the butcher is the baker's second nearest word: not in these paragraphs, not met
    assert "boucher" not in content_words(" ".join(SHOP.format(t) for t in TRADES), "fr")


def test_the_translated_word_raises_its_paragraph_only_across_languages(shops, monkeypatch):
    with_words = {h.source: h.score for h in shops.search(QUESTION, k=8)}
    monkeypatch.setattr(type(shops.store), "word_vocabulary", lambda self, version, dim: None)
    without = {h.source: h.score for h in shops.search(QUESTION, k=8)}
    gains = {s: round(with_words[s] - without[s], 4) for s in without}
    assert gains.pop("boulanger.txt") == WORDS_WEIGHT
    assert set(gains.values()) == {0.0}
    monkeypatch.undo()
    # a French question: the paragraphs are in its language, the channel adds nothing
    french = "Quand le boulanger ouvrait-il sa boutique ?"
    same = {h.source: h.score for h in shops.search(french, k=8)}
    monkeypatch.setattr(type(shops.store), "word_vocabulary", lambda self, version, dim: None)
    assert {h.source: h.score for h in shops.search(french, k=8)} == same


def test_an_index_without_words_is_searched_as_before_and_gets_them_at_the_next_build(tmp_path):
    docs = tmp_path / "docs"
    write_docs(docs, TRADES[:4])
    build_index([docs], index=tmp_path / "index", progress=False)
    db = current_data(tmp_path / "index") / DB_NAME
    with sqlite3.connect(db) as conn:  # as an index made before words were stored
        conn.execute("DELETE FROM words")
        conn.execute("DELETE FROM meta WHERE key IN ('words_version', 'words_through')")
    retriever = Retriever.open(tmp_path / "index")
    try:
        assert retriever.store.word_vocabulary(WORDS_VERSION, 512) is None
        assert retriever.search(QUESTION, k=4)  # searched without the channel
    finally:
        retriever.close()
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert report.words == len({w for t in TRADES[:4] for w in content_words(SHOP.format(t), "fr")})
    # a new document: only its new words are embedded
    write_docs(docs, [TRADES[4]])
    assert build_index([docs], index=tmp_path / "index", progress=False).words == 1
    assert build_index([docs], index=tmp_path / "index", progress=False).words == 0


def test_large_stores_get_no_words_and_search_without_them(tmp_path, monkeypatch):
    import qa.indexer
    import qa.store

    docs = tmp_path / "docs"
    write_docs(docs, TRADES[:4])
    monkeypatch.setattr(qa.indexer, "NAMES_MAX_PASSAGES", 3)
    monkeypatch.setattr(qa.store, "NAMES_MAX_PASSAGES", 3)
    assert build_index([docs], index=tmp_path / "index", progress=False).words == 0
    retriever = Retriever.open(tmp_path / "index")
    try:
        assert retriever.store.word_vocabulary(WORDS_VERSION, 512) is None
        assert retriever.search(QUESTION, k=4)
    finally:
        retriever.close()
    monkeypatch.undo()  # back under the limit: the next build embeds them
    assert build_index([docs], index=tmp_path / "index", progress=False).words > 0


def test_a_sharded_index_meets_the_words_of_one_index(shops, tmp_path, monkeypatch):
    """The shards' vocabularies merged are one index's (each word once), so a question's words
    meet the same index words, and the translated word raises its paragraph as in one index."""
    from qa.retrieval import Query, question_terms
    from qa.word_translation import merge_vocabularies

    write_docs(tmp_path / "docs", TRADES)
    build_index([tmp_path / "docs"], index=tmp_path / "index", shards=3, progress=False)
    sharded = Retriever.open(tmp_path / "index")
    try:
        parts = [shard.store.word_vocabulary(WORDS_VERSION, 512) for shard in sharded.shards]
        assert all(p is not None for p in parts)
        merged = merge_vocabularies(parts)
        one = shops.store.word_vocabulary(WORDS_VERSION, 512)
        assert sorted(merged.keys) == sorted(one.keys) and sum(len(p.keys) for p in parts) > len(one.keys)
        query = [Query.of(QUESTION, "hybrid")]
        assert question_terms(sharded.encoder, query, merged)[1] == question_terms(shops.encoder, query, one)[1]
        with_words = {h.source: h.score for h in sharded.search(QUESTION, k=8)}
        monkeypatch.setattr(type(sharded), "_vocabulary", lambda self, views: None)
        without = {h.source: h.score for h in sharded.search(QUESTION, k=8)}
        assert round(with_words["boulanger.txt"] - without["boulanger.txt"], 4) == WORDS_WEIGHT
        assert next(iter(with_words)) == "boulanger.txt"
    finally:
        sharded.close()


def test_words_are_embedded_in_bulk_as_each_word_alone(shops):
    """`Encoder.encode_words` (shared work per distinct token) gives `encode_documents`'s vectors."""
    import qa.use

    words = ["boulanger", "baker", "Bäcker", "面包师", "خباز", "пекарь", "a", "", "anticonstitucionalmente",
             "x" * 40, "boulanger"] + [f"{t}{i}" for t in TRADES for i in range(60)]
    encoder = shops.encoder
    alone = encoder.encode_documents(words)
    bulk = encoder.encode_words(words)
    assert bulk.shape == alone.shape and bulk.dtype == np.float32
    assert np.abs(bulk - alone).max() < 1e-5
    # in micro-batches of a few words too (several batches per call and per worker)
    runner = encoder.model[0].runner
    old = qa.use.WORD_TOKEN_BUDGET
    qa.use.WORD_TOKEN_BUDGET = 8
    try:
        assert np.abs(runner.encode_words(words) - alone).max() < 1e-5
    finally:
        qa.use.WORD_TOKEN_BUDGET = old
    assert encoder.encode_words([]).shape == (0, encoder.dimension)


def test_known_words_are_looked_up_in_batches(shops, monkeypatch):
    import qa.store

    store = shops.store
    stored = [(w, "fr") for t in TRADES for w in content_words(SHOP.format(t), "fr")]
    asked = stored + [("boulanger", "en"), ("baker", "fr"), ("baker", "en")] + [(f"w{i}", "fr") for i in range(50)]
    monkeypatch.setattr(qa.store, "KNOWN_WORDS_BATCH", 7)
    assert store.known_words(asked) == set(stored)
    assert store.known_words([]) == set()


def test_question_words_are_translated_once_with_the_same_terms(shops):
    vocabulary = shops.store.word_vocabulary(WORDS_VERSION, shops.encoder.dimension)
    vocabulary._memo.clear()
    first = [(h.source, h.score) for h in shops.search(QUESTION, k=8)]
    asked = content_words(QUESTION, "en")
    known, unknown = vocabulary.recall(asked)
    assert unknown == [] and set(known) == set(asked)
    vectors = shops.encoder.encode_queries(asked)
    assert vocabulary.translate(asked, vectors) == {w: vocabulary.terms(vectors[j:j + 1]) for j, w in enumerate(asked)}
    assert [(h.source, h.score) for h in shops.search(QUESTION, k=8)] == first


def test_words_of_removed_or_changed_documents_are_no_longer_met(tmp_path):
    """A document removed (or rewritten) takes its words with it: the index then searches as
    one built afresh from what is left. Its words would otherwise fill a question word's
    nearest places ("baker" meeting the English "baker" instead of "boulanger")."""
    from qa.indexer import remove_documents

    docs = tmp_path / "docs"
    write_docs(docs, TRADES)
    (docs / "bakery.txt").write_text("The baker of the village opened his shop before dawn every morning.",
                                     encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    remove_documents(tmp_path / "index", [docs / "bakery.txt"])
    (docs / "bakery.txt").unlink()
    (docs / "tailleur.txt").write_text(SHOP.format("tailleur").replace("boutique", "échoppe"), encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)  # tailleur.txt changed: re-read
    build_index([docs], index=tmp_path / "fresh", progress=False)
    updated, fresh = Retriever.open(tmp_path / "index"), Retriever.open(tmp_path / "fresh")
    try:
        mine = updated.store.word_vocabulary(WORDS_VERSION, 512)
        theirs = fresh.store.word_vocabulary(WORDS_VERSION, 512)
        assert sorted(mine.keys) == sorted(theirs.keys)
        assert ("baker", "en") not in mine.keys and ("échoppe", "fr") in mine.keys
        assert [(h.source, h.score) for h in updated.search(QUESTION, k=9)] == [
            (h.source, h.score) for h in fresh.search(QUESTION, k=9)]
    finally:
        updated.close()
        fresh.close()


def test_a_large_vocabulary_meets_the_words_of_the_exact_product_through_its_inverted_file(shops, monkeypatch):
    """A merged vocabulary (a sharded index's) over the threshold trains its inverted file in
    memory at first use; one index's is made by `qa index` (tests/test_word_index.py)."""
    import qa.word_translation as wt
    from qa import word_index

    stored = shops.store.word_vocabulary(WORDS_VERSION, shops.encoder.dimension)
    asked = content_words(QUESTION, "en") + ["bakery", "blacksmith", "fisherman", "morning", "village", "week"]
    queries = np.vstack([shops.encoder.encode_queries(asked), stored.vectors])
    exact = wt.WordVocabulary(stored.tokens, stored.vectors, stored.langs, stored.keys, trainable=True)
    assert len(exact.tokens) < word_index.ANN_FROM and stored._ann is None and not stored.approximate
    expected = exact._nearest(queries)
    assert exact._ann is None  # small: the exact product, no index
    assert tokenize("boulanger", "fr")[0] in exact.terms(queries[:len(asked) - 6])

    monkeypatch.setattr(word_index, "ANN_FROM", 10)
    assert not wt.WordVocabulary(stored.tokens, stored.vectors, stored.langs, stored.keys).approximate
    approximate = wt.WordVocabulary(stored.tokens, stored.vectors, stored.langs, stored.keys, trainable=True)
    trained = word_index.trainings
    assert approximate._nearest(queries) == expected
    index = approximate._ann
    assert word_index.trainings == trained + 1
    assert index is not None and index.ntotal == len(stored.tokens) and index.nlist == int(np.sqrt(len(stored.tokens)))
    # every vocabulary word meets itself first
    scores, rows = approximate._top(stored.vectors)
    assert list(rows[:, 0]) == list(range(len(stored.tokens))) and np.allclose(scores[:, 0], 1.0, atol=1e-2)


def test_a_vocabulary_travels_between_processes_without_its_lock_or_caches(shops):
    """A Ray shard replica sends its words to the front (pickled): what is made at first use
    (the memo, the inverted file, their lock) stays behind and is made again there."""
    import pickle

    vocabulary = shops.store.word_vocabulary(WORDS_VERSION, shops.encoder.dimension)
    vectors = shops.encoder.encode_queries(content_words(QUESTION, "en"))
    expected = vocabulary.terms(vectors)
    copy = pickle.loads(pickle.dumps(vocabulary))
    assert copy.keys == vocabulary.keys and copy.langs == vocabulary.langs and copy.terms(vectors) == expected


MUSEUMS = {"fr": "Le musée de Berlin ouvre ses portes au public chaque dimanche matin, et l'entrée y est "
                 "gratuite pour les enfants du quartier.",
           "de": "Das Museum in Berlin öffnet seine Türen jeden Sonntagmorgen für das Publikum, und der "
                 "Eintritt ist für die Kinder aus der Nachbarschaft frei.",
           "en": "The museum in Berlin opens its doors to the public every Sunday morning, and entry is "
                 "free for the children of the neighbourhood."}


def test_a_word_met_in_several_languages_is_embedded_once_with_the_same_stored_vector(tmp_path, monkeypatch):
    from qa.encoder import encoders

    encoder = encoders.get("use-m3")
    asked: list[str] = []
    encode_words = type(encoder).encode_words

    def recording(self, words):
        asked.extend(words)
        return encode_words(self, words)

    monkeypatch.setattr(type(encoder), "encode_words", recording)
    docs = tmp_path / "docs"
    docs.mkdir()
    for lang in ("fr", "de"):
        (docs / f"{lang}.txt").write_text(MUSEUMS[lang], encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    assert len(asked) == len(set(asked)) and "berlin" in asked
    (docs / "en.txt").write_text(MUSEUMS["en"], encoding="utf-8")
    first = len(asked)
    build_index([docs], index=tmp_path / "index", progress=False)
    # the next build embeds only spellings no language of the index holds yet
    assert "berlin" not in asked[first:] and "museum" not in asked[first:] and "children" in asked[first:]
    conn = sqlite3.connect(current_data(tmp_path / "index") / DB_NAME)
    rows = conn.execute("SELECT word, lang, vector FROM words").fetchall()
    conn.close()
    langs = {lang for _, lang, _ in rows}
    assert langs == {"fr", "de", "en"}
    by_word: dict[str, set[bytes]] = {}
    for word, _, vector in rows:
        by_word.setdefault(word, set()).add(vector)
    shared = [w for w in by_word if sum(1 for r in rows if r[0] == w) > 1]
    assert {"berlin", "museum"} <= set(shared)
    # one vector per spelling, in every language; as the word embedded alone, to the float16
    # rounding step that a different batch of words may move (float32 sums in another order)
    alone = encode_words(encoder, shared)
    for word, vector in zip(shared, alone):
        assert len(by_word[word]) == 1
        stored = np.frombuffer(next(iter(by_word[word])), dtype=np.float16).astype(np.float32)
        assert np.abs(stored - vector).max() < 1e-3


def test_a_question_content_words_from_its_cached_word_breaks():
    """`Query.of` takes a hybrid question's content words from the word breaks it made for its
    tokens (`question_words`): the same words, in the same order, as `content_words` alone."""
    from qa.retrieval import Query

    for text in ("Where does the baker sell his bread?", "Wann wurde das Mausoleum in die Mongolei zurückgebracht?",
                 "中国艺术品转展的画廊在哪一年开放？", "Чем, по мнению Фридриха Ратцеля, являлся империализм?",
                 "ＦＵＬＬ width Ｗords and İstanbul's 38 000 ﬁsh", "في تشفير العناصر"):
        query = Query.of(text, "hybrid")
        assert query.content == content_words(text, query.lang) and query.content


def test_an_index_of_older_tokens_gets_the_words_of_the_new_tokens(tmp_path):
    """A new tokens version re-tokenizes an index without re-embedding it: the stored words'
    tokens too, and their passage counts counted again, since the new tokens may spell a
    passage's words otherwise (a word spelled as before the new version is no longer met)."""
    docs = tmp_path / "docs"
    write_docs(docs, TRADES[:4])
    build_index([docs], index=tmp_path / "index", progress=False)
    build_index([docs], index=tmp_path / "fresh", progress=False)
    with sqlite3.connect(current_data(tmp_path / "index") / DB_NAME) as conn:  # as an older version left it
        conn.execute("UPDATE words SET tokens = 'stale'")
        conn.execute("INSERT INTO words SELECT 'boulangère', lang, 'boulangèr', vector, 1 FROM words LIMIT 1")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'tokens_version'", (str(TOKENS_VERSION - 1),))
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert report.retokenized and not report.passages_embedded
    updated, fresh = Retriever.open(tmp_path / "index"), Retriever.open(tmp_path / "fresh")
    try:
        mine = updated.store.word_vocabulary(WORDS_VERSION, 512)
        theirs = fresh.store.word_vocabulary(WORDS_VERSION, 512)
        assert sorted(zip(mine.keys, mine.tokens)) == sorted(zip(theirs.keys, theirs.tokens))
        assert [(h.source, h.score) for h in updated.search(QUESTION, k=4)] == [
            (h.source, h.score) for h in fresh.search(QUESTION, k=4)]
    finally:
        updated.close()
        fresh.close()


def test_a_question_word_the_index_holds_is_read_not_embedded(tmp_path, monkeypatch):
    """A question's content words stored by `qa index` (a word's vector depends on its spelling
    only) take their stored vector: the model embeds the question and the other words only, and
    the words meet the same index words as when all are embedded."""
    from qa.retrieval import Query, question_terms, word_vector

    write_docs(tmp_path / "docs", TRADES)
    (tmp_path / "docs" / "town.txt").write_text(
        "The baker of the town sold bread in his shop at the market square every morning.", encoding="utf-8")
    build_index([tmp_path / "docs"], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        encoder, store = retriever.encoder, retriever.store
        vocabulary = store.word_vocabulary(WORDS_VERSION, encoder.dimension)
        question = "When did the baker unlock his shop door?"
        asked = content_words(question, "en")
        held = store.stored_word_vectors(asked)
        assert {"baker", "shop"} <= set(held) and set(held) < set(asked)
        for word, stored in held.items():
            assert float(word_vector(stored) @ encoder.encode_queries([word])[0]) > 0.9999

        calls: list[list[str]] = []
        embed = encoder.encode_queries

        def spy(texts):
            calls.append(list(texts))
            return embed(texts)

        query = [Query.of(question, "hybrid", None, store.languages)]
        assert query[0].lang == "en" and vocabulary.acts_for("en")
        vocabulary._memo.clear()
        encoder._cache.clear()
        monkeypatch.setattr(encoder, "encode_queries", spy)
        qvecs, terms = question_terms(encoder, query, vocabulary, store.stored_word_vectors)
        assert calls == [[question] + [w for w in asked if w not in held]]
        vocabulary._memo.clear()
        all_embedded = question_terms(encoder, query, vocabulary)
        assert terms == all_embedded[1] and np.array_equal(qvecs, all_embedded[0])
        assert tokenize("boulanger", "fr")[0] in terms[0]

        # the search itself reads them: no held word goes through the model
        vocabulary._memo.clear()
        encoder._cache.clear()
        calls.clear()
        hits = retriever.search(question, k=8)
        assert calls and not set(held) & {t for call in calls for t in call}
        assert {h.source for h in hits[:2]} == {"boulanger.txt", "town.txt"}
    finally:
        monkeypatch.undo()
        retriever.close()
