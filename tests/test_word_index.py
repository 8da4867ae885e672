"""The vocabulary's inverted file made by `qa index` (qa/word_index.py): searches meet exactly the
words of an index built afresh, after additions, changes and removals; they never train one;
a file that does not hold the store's words is never met; it is a function of the words alone
(an index grown file by file and a sharded index's merged words have one built afresh's)."""
from __future__ import annotations

import pickle
import shutil

import numpy as np
import pytest

from qa import Retriever, build_index
from qa import word_index
from qa.indexer import remove_documents
from qa.language import tokenize
from qa.layout import current_data
from qa.word_translation import WORDS_VERSION, content_words

SHOP = ("Chaque matin, le {} du village ouvrait sa boutique avant l'aube et servait les habitants "
        "jusqu'au soir, six jours par semaine.")
TRADES = ["boulanger", "forgeron", "cordonnier", "pêcheur", "menuisier", "jardinier", "tailleur", "potier"]
OTHERS = {
    "port.txt": "Les bateaux rentraient au port quand la marée montait, chargés de poissons et de sel.",
    "bakery.txt": "The baker of the village opened his shop before dawn every morning.",
    "école.txt": "L'école du village accueillait les enfants des fermes voisines chaque hiver.",
}
ASKED = ["baker", "shop", "blacksmith", "fisherman", "morning", "village", "boats", "harbour", "school",
         "children", "salt", "gardener", "week", "tailor", "stall"]


def write(folder, trades, others):
    folder.mkdir(exist_ok=True)
    for trade in trades:
        (folder / f"{trade}.txt").write_text(SHOP.format(trade), encoding="utf-8")
    for name, text in others.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(word_index, "ANN_FROM", 10)  # the test vocabularies: ~40 words


def vocabulary(retriever):
    return retriever.store.word_vocabulary(WORDS_VERSION, retriever.encoder.dimension)


def met(retriever, words):
    voc = vocabulary(retriever)
    vectors = retriever.encoder.encode_queries(words)
    return {w: sorted(voc.terms(vectors[j:j + 1])) for j, w in enumerate(words)}


def inverted_file(index) -> tuple[bytes, bytes, int]:
    """What decides which words a question word meets: the lists' centroids, the codes' trained
    ranges, and how many words each list holds."""
    import faiss

    quantizer = faiss.downcast_index(index.quantizer)
    sizes = sorted(index.invlists.list_size(i) for i in range(index.nlist))
    return (quantizer.reconstruct_n(0, quantizer.ntotal).tobytes(), faiss.vector_to_array(index.sq.trained).tobytes(),
            hash(tuple(sizes)))


def test_an_updated_index_meets_the_words_of_one_built_afresh_without_training_at_question_time(
        tmp_path, small_threshold):
    docs = tmp_path / "docs"
    write(docs, TRADES, OTHERS)
    build_index([docs], index=tmp_path / "index", progress=False)
    saved = current_data(tmp_path / "index") / word_index.IVF_NAME
    first = word_index.read_header(saved)[0]
    assert first.trained_on == first.words >= 10
    before = tmp_path / "before.ivf"
    shutil.copy(saved, before)

    # removed, changed and added documents
    remove_documents(tmp_path / "index", [docs / "bakery.txt"])
    (docs / "bakery.txt").unlink()
    (docs / "tailleur.txt").write_text(SHOP.format("tailleur").replace("boutique", "échoppe"), encoding="utf-8")
    (docs / "port.txt").unlink()
    (docs / "moulin.txt").write_text("Le meunier du moulin moulait le blé des paysans après la moisson.",
                                     encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    after = word_index.read_header(saved)[0]
    # trained afresh on the words as they are: not the training of the words of before
    assert after.trained_on == after.words and after.digest != first.digest and after.training == word_index.TRAINING
    build_index([docs], index=tmp_path / "fresh", progress=False)

    trained = word_index.trainings
    updated, fresh = Retriever.open(tmp_path / "index"), Retriever.open(tmp_path / "fresh")
    try:
        mine, theirs = vocabulary(updated), vocabulary(fresh)
        # the saved inverted file, its codes only: no vectors held
        assert mine._ann is not None and mine.vectors is None and mine.approximate
        assert sorted(mine.keys) == sorted(theirs.keys)
        assert mine._ann.ntotal == len(mine.keys)
        # what `word_index.build` makes of its words as they are: none of the training of before
        ids, keys, _ = word_index.active_rows(updated.store.connection())
        held = word_index.active_vectors(updated.store.connection(), len(ids), updated.encoder.dimension)
        assert inverted_file(mine._ann) == inverted_file(word_index.build(held, keys, ids))
        trained += 1  # that one, made here
        assert ("baker", "en") not in mine.keys and ("bateaux", "fr") not in mine.keys
        assert ("échoppe", "fr") in mine.keys and ("meunier", "fr") in mine.keys
        assert met(updated, ASKED) == met(fresh, ASKED)
        # the words gone are never met, the new ones are (each stored word meets itself)
        assert not {"baker", "bateaux"} & {t for ts in met(updated, ASKED).values() for t in ts}
        rows = dict(updated.store.connection().execute(
            "SELECT word, vector FROM words WHERE lang = 'fr' AND word IN ('échoppe', 'meunier')").fetchall())
        for word, blob in rows.items():
            vector = np.frombuffer(blob, dtype=np.float16).astype(np.float32)[None]
            assert tokenize(word, "fr")[0] in mine.terms(vector)
        assert [(h.source, h.score) for h in updated.search("When did the baker open his shop?", k=9)] == [
            (h.source, h.score) for h in fresh.search("When did the baker open his shop?", k=9)]
        assert word_index.trainings == trained  # the read path never trains one
        # sent to another process, it takes its inverted file along (it has no vectors)
        copy = pickle.loads(pickle.dumps(mine))
        vectors = updated.encoder.encode_queries(ASKED)
        assert copy.vectors is None and copy.keys == mine.keys and copy.terms(vectors) == mine.terms(vectors)

        # a file of before the change (a build cut short) is never met: the exact product is
        shutil.copy(before, saved)
        stale = vocabulary(updated)
        assert stale is not mine and stale._ann is None and stale.vectors is not None and not stale.approximate
        assert met(updated, ASKED) == met(fresh, ASKED)
        assert word_index.trainings == trained
    finally:
        updated.close()
        fresh.close()
    # the next `qa index` brings it to the store's words again
    build_index([docs], index=tmp_path / "index", progress=False)
    assert word_index.read_header(saved)[0].digest == after.digest
    assert word_index.trainings == trained + 1
    # an unchanged `qa index` leaves it as it is
    stat = saved.stat()
    build_index([docs], index=tmp_path / "index", progress=False)
    assert (saved.stat().st_mtime_ns, saved.stat().st_ino) == (stat.st_mtime_ns, stat.st_ino)
    assert word_index.trainings == trained + 1  # unchanged words: not trained again


def test_a_vocabulary_grown_is_trained_again_and_a_small_one_has_no_file(
        tmp_path, monkeypatch):
    monkeypatch.setattr(word_index, "ANN_FROM", 12)
    docs = tmp_path / "docs"
    write(docs, TRADES[:2], {})
    build_index([docs], index=tmp_path / "index", progress=False)
    saved = current_data(tmp_path / "index") / word_index.IVF_NAME
    first = word_index.read_header(saved)[0]
    assert first.trained_on == first.words >= 12
    write(docs, TRADES, OTHERS)
    build_index([docs], index=tmp_path / "index", progress=False)
    grown = word_index.read_header(saved)[0]
    assert grown.words > 2 * first.trained_on and grown.trained_on == grown.words
    for name in [*OTHERS, *(f"{t}.txt" for t in TRADES)]:
        if name != "port.txt":
            (docs / name).unlink()
    build_index([docs], index=tmp_path / "index", progress=False)
    assert len(content_words(OTHERS["port.txt"], "fr")) < 12 and not saved.exists()
    retriever = Retriever.open(tmp_path / "index")
    try:
        voc = vocabulary(retriever)
        assert voc._ann is None and voc.vectors is not None and not voc.approximate
    finally:
        retriever.close()


def test_words_spelled_alike_in_several_languages_are_met_in_the_same_order_whatever_their_rows(
        tmp_path, small_threshold):
    """A word spelled alike in several languages has one vector: through an inverted file the
    tie is broken by (word, language), not by the order the rows were added in (an index
    updated by id against one built afresh)."""
    from qa.encoder import encoders
    from qa.word_translation import WordVocabulary

    encoder = encoders.get("use-m3")
    words = ["paris", "boulanger", "forgeron", "village", "matin", "boutique", "habitants", "semaine",
             "moulin", "meunier", "bateaux", "marée"]
    keys = [("paris", lang) for lang in ("fr", "en", "de", "es")] + [(w, "fr") for w in words[1:]]
    # one vector for the four, as `add_words` stores it: a spelling is embedded once (embedded at
    # other rows of a batch, a word's vector can differ in its last bits on some CPUs' BLAS)
    spelled = dict(zip(words, encoder.encode_words(words)))
    vectors = np.stack([spelled[w] for w, _ in keys])
    tokens = [tokenize(w, lang) + [lang] for w, lang in keys]  # a token per language, to tell them apart
    forward = WordVocabulary(tokens, vectors, frozenset(lang for _, lang in keys), keys, trainable=True)
    order = list(reversed(range(len(keys))))
    backward = WordVocabulary([tokens[i] for i in order], vectors[order], forward.langs, [keys[i] for i in order],
                              trainable=True)
    assert forward.approximate and backward.approximate
    query = encoder.encode_queries(["Paris"])
    assert forward.terms(query) == backward.terms(query)
    # ("paris", "de") and ("paris", "en"): the first two of the four by (word, language)
    assert set(forward.terms(query)) == {*tokenize("paris", "de"), *tokenize("paris", "en"), "de", "en"}


def test_the_shards_of_a_sharded_index_have_no_file_of_their_own(tmp_path, small_threshold):
    """Their words are merged when searched (the merged vocabulary trains its own, in memory)."""
    docs = tmp_path / "docs"
    write(docs, TRADES, OTHERS)
    build_index([docs], index=tmp_path / "index", shards=2, progress=False)
    remove_documents(tmp_path / "index", [docs / "port.txt"])
    assert list(tmp_path.joinpath("index").rglob("passages.sqlite")) and not list(
        tmp_path.joinpath("index").rglob(word_index.IVF_NAME))
    sharded = Retriever.open(tmp_path / "index")
    try:
        merged = sharded._vocabulary([shard._view for shard in sharded.shards])
        assert merged.trainable and merged.approximate and ("bateaux", "fr") not in merged.keys
        assert sharded.search("When did the baker open his shop?", k=3)
    finally:
        sharded.close()


def test_a_sharded_index_trains_the_inverted_file_of_one_index_before_and_after_an_update(tmp_path, small_threshold):
    """The shards' merged words (in another order than one index's rows) train the inverted file
    `qa index` saved for one index over the same files: the same lists and words met; and
    after a file of one shard changed and another's went, the next question meets the words as
    they are then, in both."""
    docs = tmp_path / "docs"
    write(docs, TRADES, OTHERS)
    build_index([docs], index=tmp_path / "one", progress=False)
    build_index([docs], index=tmp_path / "two", shards=2, progress=False)
    one, two = Retriever.open(tmp_path / "one"), Retriever.open(tmp_path / "two")
    try:
        for step in range(2):
            mine = vocabulary(one)
            merged = two._vocabulary([shard._view for shard in two.shards])
            assert mine._ann is not None and merged.approximate and mine.keys != merged.keys
            assert sorted(mine.keys) == sorted(merged.keys)
            # as many lists, each as full: the same training but for the last bits of some vectors
            # (a word embedded in another batch, by a shard)
            assert inverted_file(mine._ann)[2] == inverted_file(merged.ann())[2]
            vectors = one.encoder.encode_queries(ASKED)
            assert [mine.terms(vectors[j:j + 1]) for j in range(len(ASKED))] == [
                merged.terms(vectors[j:j + 1]) for j in range(len(ASKED))]
            if step:
                assert ("échoppe", "fr") in merged.keys and ("bateaux", "fr") not in merged.keys
                break
            (docs / "tailleur.txt").write_text(SHOP.format("tailleur").replace("boutique", "échoppe"),
                                               encoding="utf-8")
            (docs / "port.txt").unlink()
            for index in ("one", "two"):
                report = build_index([docs], index=tmp_path / index, progress=False)
                assert (report.updated, report.removed) == (1, 1)
            assert one.refresh() and two.refresh()
    finally:
        one.close(), two.close()


def test_a_file_made_before_its_words_were_ordered_is_read_then_made_again(tmp_path, small_threshold):
    """A `words.ivf` of before session 18 (no `training` in its header: trained on the rows in
    their order, updated by id) still serves its words, and the next `qa index` makes it again
    by `word_index.build`, though its words did not change."""
    import json

    docs = tmp_path / "docs"
    write(docs, TRADES, OTHERS)
    build_index([docs], index=tmp_path / "index", progress=False)
    saved = current_data(tmp_path / "index") / word_index.IVF_NAME
    header, start = word_index.read_header(saved)
    old = {k: v for k, v in header.__dict__.items() if k != "training"}
    body = saved.read_bytes()[start:]
    text = json.dumps(old).encode()
    saved.write_bytes(word_index.MAGIC + len(text).to_bytes(8, "little") + text + body)
    assert word_index.read_header(saved)[0].training == ""
    retriever = Retriever.open(tmp_path / "index")
    try:
        assert vocabulary(retriever)._ann is not None  # read as it is
    finally:
        retriever.close()
    trained = word_index.trainings
    build_index([docs], index=tmp_path / "index", progress=False)
    assert word_index.read_header(saved)[0].training == word_index.TRAINING
    assert word_index.trainings == trained + 1


def test_words_met_through_the_inverted_file_are_scored_with_their_exact_cosines(tmp_path, small_threshold):
    """The inverted file's 8-bit codes round the cosines, by more than the gap between a word's
    second and third nearest words (`TIE_GAP`): ranked by them, a question word could meet
    another word than the exact product meets, and one index another than a sharded index's.
    Its candidates are scored again with their vectors (read from the store by rowid for an
    index's saved file, held for one trained in memory): the words met and their cosines are
    the exact product's, bit for bit."""
    from qa.word_translation import WordVocabulary

    docs = tmp_path / "docs"
    write(docs, TRADES, OTHERS)
    build_index([docs], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        saved = vocabulary(retriever)
        assert saved._ann is not None and saved.vectors is None and saved.approximate
        dimension = retriever.encoder.dimension
        vectors = word_index.read_vectors(retriever.store.connection(), saved.ids, dimension)
        exact = WordVocabulary(saved.tokens, vectors, saved.langs, saved.keys)
        in_memory = WordVocabulary(saved.tokens, vectors, saved.langs, saved.keys, trainable=True)
        assert not exact.approximate and in_memory.approximate
        asked = retriever.encoder.encode_queries(ASKED)
        want_scores, want_rows = exact._top(asked)
        for approximate in (saved, in_memory):
            scores, rows = approximate._top(asked)
            assert np.array_equal(rows, want_rows)
            assert np.array_equal(scores, want_scores), np.abs(scores - want_scores).max()
    finally:
        retriever.close()
