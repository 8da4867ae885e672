"""qa on a real Ray cluster: two local nodes of one CPU each (`ray.cluster_utils.Cluster`),
started once for this module. Needs the `cluster` extra (installed by `make test`)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa import Retriever, build_index
from conftest import SEEDS, SEED_NAME, ROOT

XQUAD = ROOT.parent / "shared" / "bench" / "xquad"

try:
    import ray  # noqa: F401
except ImportError:
    if os.environ.get("CI") == "true":
        raise  # CI installs the cluster extra: a missing Ray is a failure there
    pytest.skip("the cluster extra is not installed (pip install -e '.[cluster]')", allow_module_level=True)


@pytest.fixture(scope="module")
def cluster():
    from ray.cluster_utils import Cluster

    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    worker = c.add_node(num_cpus=1)
    c.wait_for_nodes()
    yield c, worker
    import ray
    from ray import serve

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
        for i, text in enumerate(contexts):
            (folder / f"{lang}-{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def _contents(index) -> list[tuple]:
    """Per shard: passage ids, their stored rows and their vectors."""
    r = Retriever.open(index)
    out = []
    for shard in r.shards:
        ids, vectors = shard.store.all_vectors(512)
        rows = shard.store.passages([int(i) for i in ids])
        out.append((ids, [(rows[int(i)]["source"], rows[int(i)]["start"], rows[int(i)]["text"]) for i in ids],
                    vectors))
    r.close()
    return out


def test_distributed_index_equals_one_machine(cluster, docs, tmp_path):
    from qa.cluster.index import build_on_ray

    c, _ = cluster
    on_ray = build_on_ray([docs], tmp_path / "ray", shards=2, address=c.address, progress=False)
    local = build_index([docs], index=tmp_path / "local", shards=2, progress=False)
    assert on_ray.documents == local.documents == 25 and on_ray.passages == local.passages
    assert on_ray.passages_embedded == local.passages_embedded
    for (ids_a, rows_a, vec_a), (ids_b, rows_b, vec_b) in zip(_contents(tmp_path / "ray"),
                                                             _contents(tmp_path / "local")):
        assert len(ids_a) > 0 and list(ids_a) == list(ids_b) and rows_a == rows_b
        np.testing.assert_allclose(vec_a, vec_b, atol=1e-6)

    # incremental on the cluster: only what changed is embedded, as on one machine
    (docs / "de-00.txt").unlink()
    (docs / "new.txt").write_text("Le Rhône traverse Lyon avant de rejoindre la Méditerranée.\n", encoding="utf-8")
    again = build_on_ray([docs], tmp_path / "ray", address=c.address, progress=False)
    assert (again.added, again.removed, again.unchanged, again.passages_embedded) == (1, 1, 24, 1)
    hits = Retriever.open(tmp_path / "ray").search("Quel fleuve traverse Lyon ?", k=1)
    assert hits[0].source == "new.txt"


def test_served_index_answers_like_search_and_marks_missing_shards(cluster, docs, tmp_path):
    from ray import serve

    from qa.cluster.serve import app_name, chat_app, deploy

    c, worker = cluster
    index = tmp_path / "index"
    build_index([docs], index=index, shards=3, progress=False)
    local = Retriever.open(index)
    served = deploy(index, address=c.address, replicas=1)
    app = chat_app(served)
    questions = ["Who filed most generative AI patents?", "Wann wurde die Universität gegründet?",
                 "What did the Premier Li Qiang call for?", "Où s'est ouverte la conférence ?"]
    for q in questions:
        expected = [h.to_dict() for h in local.search(q, k=5)]
        assert len(expected) == 5 and app.ask(q, 5) == expected
    html, passages = app.chat(questions[0], 3)
    assert "Partial answer" not in html and passages[0]["source"] == SEED_NAME

    # a shard that cannot answer: the reply still comes, marked partial
    seed_shard = passages[0]["id"] % 3
    other = (seed_shard + 1) % 3
    serve.delete(app_name(local.identity, other))
    answer = app.ask(questions[0], 5)
    assert answer and all(p["partial"] and p["missing_shards"] == [other] for p in answer)
    assert answer[0]["source"] == SEED_NAME and all(p["id"] % 3 != other for p in answer)
    html, _ = app.chat(questions[0], 3)
    assert "Partial answer" in html and f"shard {other}" in html
    local.close()


def test_answers_continue_when_a_node_with_a_replica_goes(cluster, docs, tmp_path):
    # last in this module: it takes a node away from the cluster
    from qa.cluster.serve import chat_app, deploy

    c, worker = cluster
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    local = Retriever.open(index)
    served = deploy(index, address=c.address, replicas=2, spread=True)  # one replica of each shard per node
    app = chat_app(served)
    question = "Who filed most generative AI patents?"
    expected = [h.to_dict() for h in local.search(question, k=5)]
    assert app.ask(question, 5) == expected
    c.remove_node(worker)
    for _ in range(5):  # the replicas left on the head node answer; never an error
        assert app.ask(question, 5) == expected
    local.close()
