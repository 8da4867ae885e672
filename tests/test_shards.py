"""Sharded indexes: real default model, real FAISS, real files; one index vs N shards."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa import Retriever, build_index
from qa.errors import QAError
from qa.indexer import remove_documents
from qa.layout import current_data
from qa.shards import MANIFEST, read_manifest, shard_of
from qa.sharded import ShardedRetriever
from conftest import ROOT, SEED_NAME
from id_checks import assert_numbered_after, sharded_ids, store_generation
from kills import kill_update_between_shards
from parity import XQUAD, xquad


def vergers(docs: Path, files: int, trees: str = "00 pommiers") -> Path:
    """`files` one-paragraph documents (d00.md...), orchard i with i`trees`."""
    docs.mkdir(exist_ok=True)
    for i in range(files):
        (docs / f"d{i:02d}.md").write_text(f"# Doc {i}\n\nLe verger {i} compte {i}{trees}.\n", encoding="utf-8")
    return docs


def orchard_in_three_shards(tmp_path: Path, files: int):
    """`vergers` of `files` documents indexed in 3 shards: (docs, index, its data folder, the
    store file of a shard by name)."""
    from qa.store import DB_NAME

    docs = vergers(tmp_path / "docs", files)
    index = tmp_path / "index"
    build_index([docs], index=index, shards=3, progress=False)
    data = current_data(index)
    return docs, index, data, lambda name: current_data(data / name) / DB_NAME


LANGS = ("en", "de", "zh")
PARAGRAPHS = 40  # per language: 120 files, a few seconds to embed



@pytest.fixture(scope="module")
def xquad_pair(tmp_path_factory):
    """The same XQuAD subset as one index and as 4 shards, and the questions about it."""
    if not (XQUAD / "xquad.en.json").exists():
        pytest.fail(f"XQuAD is missing at {XQUAD} (the shared benchmark data)")
    tmp = tmp_path_factory.mktemp("xquad-shards")
    questions = []
    for lang in LANGS:
        contexts, qs = xquad(lang)
        (tmp / "docs" / lang).mkdir(parents=True)
        for i, text in enumerate(contexts[:PARAGRAPHS]):
            (tmp / "docs" / lang / f"p{i:04d}.txt").write_text(text, encoding="utf-8")
        questions.extend(q for q, gold in qs if gold < PARAGRAPHS)
    one = build_index([tmp / "docs"], index=tmp / "one", progress=False)
    four = build_index([tmp / "docs"], index=tmp / "four", shards=4, progress=False)
    assert four.passages == one.passages and four.documents == one.documents == 3 * PARAGRAPHS
    return Retriever.open(tmp / "one"), Retriever.open(tmp / "four"), questions[::3]


def test_dense_results_identical_and_hybrid_top1_agrees(xquad_pair):
    one, four, questions = xquad_pair
    assert isinstance(four, ShardedRetriever) and len(four.shards) == 4
    sizes = [s.stats()["passages"] for s in four.shards]
    assert min(sizes) > 0 and sum(sizes) == one.stats()["passages"]
    assert len(questions) > 100
    agree = 0
    for q in questions:
        a, b = one.search(q, k=10, mode="dense"), four.search(q, k=10, mode="dense")
        assert [(h.source, h.paragraph, h.text) for h in a] == [(h.source, h.paragraph, h.text) for h in b]
        assert [h.score for h in a] == pytest.approx([h.score for h in b], abs=2e-4)
        a, b = one.search(q, k=5), four.search(q, k=5)
        agree += (a[0].source, a[0].paragraph) == (b[0].source, b[0].paragraph)
        assert b[0].answer is not None and b[0].answer.text in b[0].text
    assert agree / len(questions) >= 0.95, agree / len(questions)


def test_ids_of_a_sharded_index_lead_back_to_their_shard(xquad_pair):
    one, four, _ = xquad_pair
    hits = four.search("Was ist ein Pharmazeut?", k=8)
    assert len({h.id for h in hits}) == 8
    for hit in hits:
        context = four.context(hit.id)
        assert hit.id in [p["id"] for p in context]
        assert next(p for p in context if p["id"] == hit.id)["text"] == hit.text
        document = four.document(hit.doc_id)
        assert document["source"] == hit.source and document["text"][hit.start:hit.end] == hit.text
    sources = [d["source"] for d in four.store.documents()]
    assert sources == [d["source"] for d in one.store.documents()]
    assert four.stats()["documents"] == one.stats()["documents"] and four.stats()["shards"] == 4


def test_sharded_index_is_incremental_removes_and_rebuilds(corpus, tmp_path):
    index = tmp_path / "index"
    (corpus / "b.md").write_text("# Brevets\n\nLa Chine a déposé 38 000 brevets.\n", encoding="utf-8")
    (corpus / "c.txt").write_text("Les pandas mangent du bambou toute la journée.\n", encoding="utf-8")
    first = build_index([corpus], index=index, shards=3, progress=False)
    assert (first.added, first.documents) == (3, 3)
    manifest = read_manifest(current_data(index))
    assert manifest.count == 3 and manifest.model == "use-m3"
    # each document sits in the shard its source hashes to, and nowhere else
    r = Retriever.open(index)
    for number, shard in enumerate(r.shards):
        assert {d["source"] for d in shard.store.documents()} == {
            s for s in (SEED_NAME, "b.md", "c.txt") if shard_of(s, 3) == number}
    again = build_index([corpus], index=index, progress=False)  # no --shards: updated as the sharded index it is
    assert (again.unchanged, again.passages_embedded, again.documents) == (3, 0, 3)
    (corpus / "b.md").write_text("# Brevets\n\nLa Chine a déposé 40 000 brevets.\n", encoding="utf-8")
    (corpus / "c.txt").unlink()
    changed = build_index([corpus], index=index, progress=False)
    assert (changed.updated, changed.removed, changed.documents) == (1, 1, 2)
    assert r.refresh()
    texts = [h.text for h in r.search("Combien de brevets la Chine a-t-elle déposés ?", k=10)]
    assert any("40 000" in t for t in texts) and not any("38 000" in t or "pandas" in t for t in texts)

    # --add keeps the others; qa remove finds a document in whichever shard holds it
    other = tmp_path / "other"
    other.mkdir()
    (other / "d.txt").write_text("Le Rhône traverse Lyon.\n", encoding="utf-8")
    added = build_index([other], index=index, add=True, progress=False)
    assert (added.added, added.documents) == (1, 3)
    with pytest.raises(QAError, match="no indexed document matches"):
        remove_documents(index, ["nothing-like-this.txt"])
    removed = remove_documents(index, ["d.txt", "b.md"])
    assert (removed.removed, removed.documents) == (2, 1)

    # another number of shards needs --rebuild, which swaps a whole new set in
    with pytest.raises(QAError, match="--rebuild"):
        build_index([corpus], index=index, shards=2, progress=False)
    old_data = current_data(index)
    rebuilt = build_index([corpus], index=index, shards=2, rebuild=True, progress=False)
    assert rebuilt.documents == 2 and not old_data.exists()
    assert r.refresh() and len(r.shards) == 2
    assert {h.source for h in r.search("brevets", k=10)} == {SEED_NAME, "b.md"}
    r.close()


def test_cli_on_a_sharded_index(corpus, tmp_path):
    index = tmp_path / "index"
    run = [sys.executable, "-m", "qa"]
    built = subprocess.run([*run, "index", str(corpus), "--index", str(index), "--shards", "2", "--json"],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["index_type"].startswith("2 shards")
    assert (current_data(index) / MANIFEST).exists()
    asked = subprocess.run([*run, "ask", "Who filed most generative AI patents?", "--index", str(index), "--json"],
                           capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr
    hits = json.loads(asked.stdout)
    assert hits[0]["source"] == SEED_NAME and "brevets" in hits[0]["text"]
    one = tmp_path / "one"
    build_index([corpus], index=one, progress=False)
    refused = subprocess.run([*run, "index", str(corpus), "--index", str(one), "--shards", "2"],
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "--rebuild" in refused.stderr


def test_single_machine_path_never_imports_ray(tmp_path):
    code = ("import sys, qa, qa.cli, qa.web, qa.sharded, qa.sharded_build; "
            "qa.cli._parser().parse_args(['index', '--shards', '2']); "
            "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_chat_works_on_a_sharded_index(tmp_path):
    from qa.web_app import ChatApp

    docs = tmp_path / "docs"
    (docs / "fruits").mkdir(parents=True)
    (docs / "fruits" / "kiwis.md").write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent en avril.\n",
                                              encoding="utf-8")
    (docs / SEED_NAME).write_text((ROOT / "seeds" / SEED_NAME).read_text(encoding="utf-8"), encoding="utf-8")
    build_index([docs], index=tmp_path / "index", shards=3, progress=False)
    app = ChatApp(Retriever.open(tmp_path / "index"))
    choices = app.filter_choices()
    assert choices["folders"] == [SEED_NAME, "fruits/"] and choices["langs"] == ["fr"]
    assert len(app.examples()) == 2
    hits = app.ask("Quand arrivent les kiwis ?", 2)
    assert hits[0]["source"] == "fruits/kiwis.md"
    only = app.retriever.search("kiwis", k=5, where={"folders": [SEED_NAME]})
    assert only and {h.source for h in only} == {SEED_NAME}


def test_possible_top_keeps_every_passage_that_reaches_the_top(xquad_pair):
    """What a remote shard sends with its candidates (qa/cluster/serve.py) always covers the
    merged top k: checked against the real sharded search, with and without a filter."""
    from qa.filters import as_where
    from qa.language import detect_language, query_tokens
    from qa.retrieval import CANDIDATES, Query, gather_candidates, question_terms
    from qa.sharded import globalize, possible_top

    _, four, questions = xquad_pair
    k, n = 5, CANDIDATES
    calibration = four.encoder.calibration
    vocabulary = four._vocabulary([shard._view for shard in four.shards])
    sent = asked = 0
    for where in (None, as_where({"langs": ["de", "zh"]})):
        for mode in ("hybrid", "dense", "lexical"):
            for q in questions[:30]:
                qlang = detect_language(q)
                allowed: set[int] = set()
                tokens = query_tokens(q, qlang) if mode != "dense" else None
                translated = question_terms(four.encoder, [Query.of(q, mode)], vocabulary)[1][0]
                for number, shard in enumerate(four.shards):
                    view = shard._view
                    found = globalize(gather_candidates(view, view.encoder.encode_query(q), tokens, n, mode, where,
                                                        translated=translated), number, 4)
                    chosen = possible_top(found, qlang, mode, k, calibration)
                    sent += len(chosen)
                    allowed |= set(chosen)
                hits = four.search(q, k=k, mode=mode, where=where)
                asked += 1
                assert len(hits) == k or mode == "lexical"  # BM25 may match fewer than k
                assert {h.id for h in hits} <= allowed
    assert sent < asked * 4 * n / 2  # far fewer rows than candidates: the point of it


def test_two_step_search_equals_gathering_everything_in_every_shard(xquad_pair):
    """`ShardedRetriever.search` scores (stored vectors, sentences) only the candidates kept
    over all shards: the same passages, order and scores as when every shard describes all
    of its own candidates and the merge drops the rest, in every mode, with and without a filter."""
    from qa.filters import as_where
    from qa.language import detect_language, query_tokens
    from qa.lexical_stats import LexicalStats
    from qa.retrieval import CANDIDATES, Query, gather_candidates, question_terms, rank_candidates
    from qa.sharded import globalize, merge_candidates

    _, four, questions = xquad_pair
    k, n = 10, CANDIDATES
    calibration = four.encoder.calibration
    views = [shard._view for shard in four.shards]
    vocabulary, spelled = four._vocabulary(views), four._names(views)
    for where in (None, as_where({"langs": ["de", "zh"]})):
        for mode in ("hybrid", "dense", "lexical"):
            for q in questions[:25]:
                qlang = detect_language(q)
                qvec = four.encoder.encode_query(q)
                parts = []
                tokens = query_tokens(q, qlang) if mode != "dense" else None
                query = Query.of(q, mode)
                translated = question_terms(four.encoder, [query], vocabulary)[1][0]
                names = spelled.matches(query.words) if query.words else []
                # BM25 with the statistics of all four shards (qa/lexical_stats.py)
                stats = LexicalStats.combine(v.store.lexical_stats([*(tokens or ()), *names, *translated])
                                             for v in views)
                for number, shard in enumerate(four.shards):
                    parts.append(globalize(gather_candidates(shard._view, qvec, tokens, n, mode, where,
                                                             translated=translated, stats=stats,
                                                             names_terms=names), number, 4))
                expected = rank_candidates(merge_candidates(parts, n), qlang, mode, calibration)[:k]
                hits = four.search(q, k=k, mode=mode, where=where)
                assert [h.id for h in hits] == [i for _, _, i in expected], (mode, where, q)
                assert [h.score for h in hits] == [round(float(s), 4) for s, _, _ in expected]


def test_approximate_shards_are_tuned_together_once_per_training(tmp_path):
    """`qa index --shards` ends by tuning one nprobe for the approximate shards on their
    merged results (qa.sharded_build.tune_shards); an update that trains nothing anew keeps it."""
    from qa.vectors import STAMP_NAME, VectorIndex

    contexts, questions = xquad("en")
    (tmp_path / "docs").mkdir()
    for i, text in enumerate(contexts[:80]):
        (tmp_path / "docs" / f"p{i:04d}.txt").write_text(text, encoding="utf-8")
    index = tmp_path / "index"
    build_index([tmp_path / "docs"], index=index, shards=2, approx_threshold=20, progress=False)
    data = current_data(index)
    folders = [current_data(data / name) for name in read_manifest(data).shards]
    stamps = [VectorIndex.stamp(f) for f in folders]
    assert all(s["kind"] == "ivf-sq8" for s in stamps), stamps
    nprobes = {s["params"]["nprobe"] for s in stamps}
    assert len(nprobes) == 1 and all(s["params"]["sharded_recall_at_10"] >= 0.98 for s in stamps), stamps
    # each shard's inverted lists are sized for the whole collection (VectorIndex.build's nlist_scale)
    assert all(s["params"]["nlist_scale"] == 2 for s in stamps), stamps
    sharded = Retriever.open(index)
    assert [shard.vectors.info()["nprobe"] for shard in sharded.shards] == [nprobes.pop()] * 2
    # a shard's vector index repaired from its store (file lost) gets the same lists
    assert [shard._nlist_scale for shard in sharded.shards] == [2, 2]
    hits = sharded.search(questions[0][0], k=5, mode="dense")
    assert len(hits) == 5
    sharded.close()
    written = [(f / STAMP_NAME).read_text() for f in folders]
    again = build_index([tmp_path / "docs"], index=index, progress=False)
    assert again.unchanged == 80 and [(f / STAMP_NAME).read_text() for f in folders] == written


def test_a_citation_from_before_a_sharded_rebuild_never_opens_another_document(corpus, tmp_path):
    """As for one index (tests/test_integrity.py): a rebuild, into as many shards or another
    number, gives ids above every id the index it replaces gave out."""
    index = tmp_path / "index"
    (corpus / "b.md").write_text("# Brevets\n\nLa Chine a déposé 38 000 brevets.\n", encoding="utf-8")
    build_index([corpus], index=index, shards=3, progress=False)
    reader = Retriever.open(index)
    before = reader.search("Combien de brevets la Chine a-t-elle déposés ?", k=10)
    (corpus / "a.md").write_text("# Abricots\n\nLes abricots mûrissent en juillet.\n", encoding="utf-8")
    for shards in (3, 2):
        build_index([corpus], index=index, shards=shards, rebuild=True, progress=False)
        assert reader.refresh() and len(reader.shards) == shards
        after = reader.search("Combien de brevets la Chine a-t-elle déposés ?", k=10)
        assert min(h.id for h in after) > max(h.id for h in before)
        assert min(h.doc_id for h in after) > max(h.doc_id for h in before)
        for hit in before:
            assert reader.document(hit.doc_id) is None
        before = after
    again = build_index([corpus], index=index, progress=False)  # the seeded shards update as any
    assert (again.unchanged, again.passages_embedded) == (3, 0)
    reader.close()


def test_uploads_on_a_sharded_index_are_kept_listed_and_removable(corpus, tmp_path):
    """The chat's uploads looked for their documents in one store only: on a sharded index an
    upload was indexed, then said refused ("no text") and its file deleted while its passages
    stayed answerable, and it could not be removed from the page (Session 13)."""
    from qa.web_uploads import UploadPolicy, Uploads

    index = tmp_path / "index"
    build_index([corpus], index=index, shards=3, progress=False)
    (tmp_path / "kiwis.md").write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent en avril.\n",
                                       encoding="utf-8")
    uploads = Uploads(index, UploadPolicy())
    outcome = uploads.add([(str(tmp_path / "kiwis.md"), "kiwis.md")])
    assert (outcome.added, outcome.refused) == (["kiwis.md"], [])
    assert (index / "uploads" / "kiwis.md").is_file()
    assert uploads.uploaded_sources() == {"kiwis.md": str(index.resolve() / "uploads" / "kiwis.md")}
    retriever = Retriever.open(index)
    hit = retriever.search("Quand arrivent les kiwis ?", k=1)[0]
    assert (hit.source, hit.source_changed) == ("kiwis.md", None)
    uploads.remove("kiwis.md")
    retriever.refresh()
    assert "kiwis.md" not in {h.source for h in retriever.search("kiwis Nouvelle-Zélande", k=10)}
    assert not (index / "uploads" / "kiwis.md").exists()
    retriever.close()


@pytest.mark.parametrize("rebuild", [False, True], ids=["next-run", "rebuild"])
def test_a_lost_shard_built_again_never_reuses_an_id_it_gave_out(tmp_path, rebuild):
    """A shard folder lost (deleted, a failed disk) is built again by the next `qa index`:
    it numbered its documents from 1 again, so a citation given out before opened another
    document (Session 13). `--rebuild` then: the lost shard's ids are known from the manifest
    only (its store is gone)."""
    import shutil

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(8):
        (docs / f"d{i}.md").write_text(f"# Doc {i}\n\nLe verger {i} compte {i}00 pommiers.\n", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    reader = Retriever.open(index)
    given: dict[int, tuple[str, str]] = {}  # every id given out: (source, text)

    def note() -> None:
        reader.refresh()
        given.update((d["id"], (d["source"], reader.document(d["id"])["text"])) for d in reader.store.documents())

    note()
    for i in range(8):  # new versions: new ids
        (docs / f"d{i}.md").write_text(f"# Doc {i}\n\nLe verger {i} compte {i}50 poiriers.\n", encoding="utf-8")
    build_index([docs], index=index, progress=False)
    note()
    data = current_data(index)
    lost = max(read_manifest(data).shards, key=lambda name: sum(shard_of(f"d{i}.md", 2) == int(name[-3:])
                                                               for i in range(8)))
    shutil.rmtree(data / lost)
    build_index([docs], index=index, rebuild=rebuild, progress=False)
    reader.refresh()
    for doc_id, (source, text) in given.items():
        found = reader.document(doc_id)
        assert found is None or (found["source"], found["text"]) == (source, text)
    assert len(reader.store.documents()) == 8
    reader.close()


def test_each_shard_keeps_exactly_its_entries_among_the_n_best_of_all():
    """The first step of a sharded search keeps, per shard, its entries among the `n` best over all
    shards (ties by global id, as the merge orders them): all `n` of them, not one fewer."""
    from qa.shards import global_id
    from qa.sharded import top_per_shard

    found = [[(0, 0.9), (1, 0.5), (2, 0.5)], [(0, 0.8), (1, 0.5)], [(0, 0.7), (1, 0.1)]]
    for n in range(1, 9):
        kept = top_per_shard(found, n)
        every = sorted(((-score, global_id(i, s, 3)) for s, part in enumerate(found) for i, score in part))[:n]
        assert sorted((-score, global_id(i, s, 3)) for s, part in enumerate(kept) for i, score in part) == every, n
    # 0.5 is a tie of three: global ids 3 (shard 0) and 4 (shard 1) come before 6 (shard 0)
    assert top_per_shard(found, 5) == [[(0, 0.9), (1, 0.5)], [(0, 0.8), (1, 0.5)], [(0, 0.7)]]


def test_a_file_added_alone_that_another_shard_holds_under_its_folder_s_name_is_updated_there(tmp_path):
    """`qa index FILE --add` of a file indexed before with its folder (`docs/note.md`) names it as
    the index knows it, so that it is updated, not indexed twice (a single index did). A sharded
    index chose the shard by the new name (`note.md`) and looked only there: the file was added a
    second time, and the earlier copy kept answering with the file's older text."""
    docs = tmp_path / "docs"
    docs.mkdir()
    name = next(f"note{n}.md" for n in range(100) if shard_of(f"docs/note{n}.md", 3) != shard_of(f"note{n}.md", 3))
    (docs / name).write_text("Les kiwis de Nouvelle-Zélande arrivent sur les marchés en avril.", encoding="utf-8")
    (tmp_path / "pommes.md").write_text("Les pommes du verger normand sont récoltées en septembre.",
                                        encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs, tmp_path / "pommes.md"], index=index, progress=False, shards=3)
    (docs / name).write_text("Les kiwis de Nouvelle-Zélande arrivent sur les marchés en juin.", encoding="utf-8")
    report = build_index([docs / name], index=index, progress=False, add=True)
    assert (report.added, report.updated, report.documents) == (0, 1, 2)
    retriever = Retriever.open(index)
    try:
        hits = retriever.search("Quand arrivent les kiwis ?", k=3)
        assert [h.source for h in hits] == [f"docs/{name}", "pommes.md"] and "juin" in hits[0].text
    finally:
        retriever.close()

    # another file of that name added, then edited and added again: one document, updated
    (tmp_path / "q3").mkdir()
    (tmp_path / "q3" / name).write_text("Les poires de Savoie mûrissent en août.", encoding="utf-8")
    build_index([tmp_path / "q3" / name], index=index, progress=False, add=True)
    (tmp_path / "q3" / name).write_text("Les poires de Savoie mûrissent en septembre.", encoding="utf-8")
    report = build_index([tmp_path / "q3" / name], index=index, progress=False, add=True)
    assert (report.added, report.updated, report.documents) == (0, 1, 3)
    assert build_index([docs, tmp_path / "pommes.md", tmp_path / "q3"], index=index, progress=False).documents == 3


def test_removing_a_name_from_a_sharded_index_leaves_its_look_alike_in_another_shard(tmp_path):
    """Two files whose names differ only by their Unicode form, in two shards: `qa remove` with one
    name matched it in its shard as given, and the other in its shard in the other form."""
    import unicodedata

    docs = tmp_path / "docs"
    docs.mkdir()
    composed, decomposed = next((unicodedata.normalize("NFC", f"café{n}.md"), unicodedata.normalize("NFD", f"café{n}.md"))
                                for n in range(100) if shard_of(unicodedata.normalize("NFC", f"café{n}.md"), 2)
                                != shard_of(unicodedata.normalize("NFD", f"café{n}.md"), 2))
    (docs / composed).write_text("Le café de la gare ouvre à six heures.", encoding="utf-8")
    (docs / decomposed).write_text("Le café de la place ouvre à sept heures.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False, shards=2)
    report = remove_documents(index, [composed])
    assert report.removed_files == [(composed, "removed on request")] and report.documents == 1


def test_an_update_killed_between_shards_then_a_shard_lost_never_reuses_an_id(tmp_path):
    """A sharded update killed between shards (SIGKILL, a real `qa index` process) left
    `shards.json`'s record of the highest ids given out behind those of the shard it had updated;
    that shard lost afterwards (its folder deleted) was built again numbered from the older
    record, giving its documents ids that citations of the killed run's versions held."""
    import shutil

    from qa.store import last_ids

    files = 60
    docs, index, data, shard_db = orchard_in_three_shards(tmp_path, files)

    def generation(name: str) -> int:
        return store_generation(shard_db(name))

    vergers(docs, files, "50 poiriers")  # every file edited: every document gets new ids
    kill_update_between_shards(docs, index, lambda: generation("shard-001"))
    assert read_manifest(data).cited is not None
    given = last_ids(shard_db("shard-000"))  # shard-000's highest local ids, updated by the killed run
    shutil.rmtree(data / "shard-000")
    build_index([docs], index=index, progress=False)
    assert_numbered_after(shard_db("shard-000"), given)
    reader = Retriever.open(index)
    try:
        assert len(reader.store.documents()) == files
    finally:
        reader.close()


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_shard_killed_in_its_own_update_then_lost_never_reuses_an_id(tmp_path, rebuild):
    """A shard's writer killed in the middle of its own update (SIGKILL of a real process once
    the shard has stored a batch, before it ends), that shard then lost (its folder deleted):
    the ids the killed run had given out were recorded only in that shard's store, and its
    rebuild numbered its documents from the record of before, giving them ids the killed run's
    versions had held (a reader refreshed meanwhile could cite them). Updated, the shard is built
    again beside its ledger; `--rebuild`, in a new data folder, numbered after the old ledgers."""
    import os
    import shutil
    import signal
    import sqlite3
    import time

    from qa.store import DB_NAME, last_ids

    files = 90
    docs, index, data, shard_db = orchard_in_three_shards(tmp_path, files)
    victim = "shard-001"
    conn = sqlite3.connect(shard_db(victim))
    try:
        mine = [source for (source,) in conn.execute("SELECT source FROM documents")]
        def generation() -> int:
            return int(conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])

        def edit_mine(trees: str) -> None:
            for source in mine:
                name = source.split("/")[-1]
                (docs / name).write_text(f"# Doc {name}\n\nLe verger {name} compte {trees}.\n", encoding="utf-8")

        # only the victim's files edited, once in full: its local ids are then twice another shard's,
        # so that the killed run's ids lie above every id the manifest's record names (the record
        # alone, without the victim's ledger, cannot cover them by the other shards' ids)
        edit_mine("40 poiriers")
        build_index([docs], index=index, progress=False)
        before = generation()
        edit_mine("50 poiriers")
        code = ("import sys; from qa.indexer import build_index; "
                "build_index([sys.argv[1]], index=sys.argv[2], progress=False, batch_passages=2)")
        proc = subprocess.Popen([sys.executable, "-c", code, str(docs), str(index)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, PYTHONPATH=str(ROOT)))
        started = time.monotonic()
        while generation() == before:  # the victim has stored a batch of its update
            assert proc.poll() is None, f"the update ended before the shard stored a batch: {proc.stderr.read()}"
            assert time.monotonic() - started < 300
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        given = last_ids(shard_db(victim))
        updated = conn.execute("SELECT COUNT(*) FROM documents WHERE text LIKE '%50 poiriers%'").fetchone()[0]
    finally:
        conn.close()
    assert 0 < updated < len(mine)  # killed in the middle of the shard's update
    shutil.rmtree(data / victim)
    build_index([docs], index=index, progress=False, rebuild=rebuild)
    assert_numbered_after(current_data(current_data(index) / victim) / DB_NAME, given)


@pytest.mark.parametrize("ledgers", [True, False])
def test_a_shard_whose_store_file_was_deleted_is_built_again_numbered_after_its_ids(tmp_path, ledgers):
    """A shard's store file deleted by hand (its folder and pointer left): the shard was not taken
    as lost, so `qa index` built it a new store numbered from 1, giving its documents and passages
    ids that citations of the old ones held (the edited file's new text under the old id). Without
    the shards' ledgers too (an index made by a qa before them): the shard is lost, numbered after
    the manifest's record."""
    from qa.shards import LEDGER_SUFFIX
    from qa.store import DB_NAME, last_ids

    docs = vergers(tmp_path / "docs", 12)
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    data = current_data(index)
    if not ledgers:
        found = list(data.glob("*" + LEDGER_SUFFIX))
        assert len(found) == 2
        for ledger in found:
            ledger.unlink()
    store_file = current_data(data / "shard-000") / DB_NAME
    given = last_ids(store_file)
    for leftover in store_file.parent.glob(DB_NAME + "*"):
        leftover.unlink()
    with pytest.raises(QAError, match="lacks its shard shard-000"):  # the reader: one line naming the fix
        Retriever.open(index)
    build_index([docs], index=index, progress=False)
    assert_numbered_after(current_data(data / "shard-000") / DB_NAME, given)
    reader = Retriever.open(index)
    try:
        assert len(reader.store.documents()) == 12
    finally:
        reader.close()


def test_a_sharded_index_whose_shards_json_was_deleted_is_a_clear_error_and_reuses_no_id(tmp_path):
    """`shards.json` deleted by hand: the index was taken for none. `qa ask` in a folder with
    `seeds/` indexed the seeds into it and answered from them; `qa index` silently built a
    one-shard index numbered from 1 (the old citations naming its documents). Now both say
    what to do, and the rebuild they name gives ids above every one the shards gave out."""
    import os

    docs = vergers(tmp_path / "docs", 12)
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)

    def ids() -> dict[str, list[int]]:
        return sharded_ids(index, 2)

    given = ids()
    (current_data(index) / MANIFEST).unlink()
    seeds = tmp_path / "cwd" / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "other.md").write_text("# Other\n\nThe moon is made of cheese.\n", encoding="utf-8")
    asked = subprocess.run([sys.executable, "-m", "qa", "ask", "apple trees", "--index", str(index)],
                           cwd=seeds.parent, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert asked.returncode == 1 and "cheese" not in asked.stdout, asked.stdout
    assert asked.stderr.strip().splitlines() == [
        f"qa: error: the sharded index at {index} lacks its shards.json (deleted?): build it again with "
        f"`qa index PATH --index {index} --shards 2 --rebuild`"]
    with pytest.raises(QAError, match="lacks its shards.json"):
        build_index([docs], index=index, progress=False)
    build_index([docs], index=index, shards=2, rebuild=True, progress=False)
    rebuilt = ids()
    for table in given:
        assert len(rebuilt[table]) == len(given[table]) and min(rebuilt[table]) > max(given[table]), table


def test_names_in_another_script_meet_a_document_added_to_a_sharded_index_since_it_was_opened(tmp_path):
    """Names in another script are met in the terms of all shards (`ShardedRetriever._names`),
    made once per change of any shard: a name that only a document added since the reader was
    opened holds is met once the reader is refreshed, as one index meets it."""
    from qa.retrieval import Query

    docs = vergers(tmp_path / "docs", 6)
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    question = "Кто такой Норман Фостер?"
    assert "norman" in Query.of(question, "hybrid").words
    reader = Retriever.open(index)
    try:
        views = [shard._view for shard in reader.shards]
        assert "norman" not in reader._names(views).matches(Query.of(question, "hybrid").words)
        (docs / "foster.md").write_text("# Foster\n\nLe verger de Norman Foster compte 12 pommiers.\n",
                                        encoding="utf-8")
        build_index([docs], index=index, progress=False)
        assert reader.refresh()
        views = [shard._view for shard in reader.shards]
        assert "norman" in reader._names(views).matches(Query.of(question, "hybrid").words)
        assert reader.search(question, k=1)[0].source == "foster.md"
    finally:
        reader.close()


def test_a_sharded_index_of_an_older_qa_that_lost_its_pointer_and_a_shard_reuses_no_id(tmp_path):
    """A sharded index made before shards kept ledgers (none beside its shard folders) that lost
    a shard (its folder deleted) and then its CURRENT: the `--rebuild` the error names gives ids
    above every one the lost shard gave out, which only `shards.json`'s record still holds."""
    import shutil

    from qa.layout import POINTER
    from qa.shards import LEDGER_SUFFIX

    docs = vergers(tmp_path / "docs", 12)
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    # the files of shard 1 edited once: its ids run past the other shard's, which cannot cover them
    for path in docs.iterdir():
        if shard_of(path.name, 2) == 1:
            path.write_text(path.read_text(encoding="utf-8").replace("pommiers", "poiriers"), encoding="utf-8")
    assert build_index([docs], index=index, progress=False).updated == 6

    def ids() -> dict[str, list[int]]:
        return sharded_ids(index, 2)

    given = ids()
    data = current_data(index)
    for ledger in data.glob("*" + LEDGER_SUFFIX):
        ledger.unlink()
    shutil.rmtree(data / "shard-001")
    (index / POINTER).unlink()
    with pytest.raises(QAError, match="lacks its CURRENT file"):
        build_index([docs], index=index, progress=False)
    build_index([docs], index=index, shards=2, rebuild=True, progress=False)
    rebuilt = ids()
    for table in given:
        assert len(rebuilt[table]) == len(given[table]) and min(rebuilt[table]) > max(given[table]), table
