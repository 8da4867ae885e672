"""The Ray part of benchmarks/shards.py: on a local two-node cluster (one CPU each),
distributed indexing vs one process, and Ray Serve's overhead per question.

Alone, serving only (the sharded index built in this process, then served):

    PYTHONPATH=. .venv/bin/python benchmarks/ray_bench.py [--shards 4] [--questions 150]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import percentiles  # noqa: E402


def _cluster():
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    return cluster


def _stop(cluster) -> None:
    import ray
    from ray import serve

    if ray.is_initialized():
        serve.shutdown()
    ray.shutdown()
    cluster.shutdown()


def measure_serving(index: Path, address: str, questions: list[str]) -> dict:
    """Ray Serve against `search` in this process, on the same sharded index: what serving
    adds per question (the fan-out to the shards' replicas and back, and the merge)."""
    from qa import Retriever
    from qa.cluster.serve import deploy

    out: dict = {"questions": len(questions)}
    local = Retriever.open(index)
    t = time.perf_counter()
    served = deploy(index, address=address, replicas=1)
    out["serve_deploy_s"] = time.perf_counter() - t
    try:
        # one model, one cache of query vectors: neither side embeds a question while timed
        assert served.encoder is local.encoder, "the ingress and `search` must share the encoder"
        for q in questions:
            local.encoder.encode_query(q)
        same = 0
        for q in questions[:50]:
            same += [h.to_dict() for h in served.search(q)] == [h.to_dict() for h in local.search(q)]
        out["serve_same_as_search"] = same / min(50, len(questions))
        times: dict[str, list[float]] = {"local": [], "served": []}
        for n, q in enumerate(questions):
            sides = (("local", local), ("served", served))
            for name, r in sides if n % 2 else sides[::-1]:  # who goes first (warm caches) alternates
                t = time.perf_counter()
                r.search(q)
                times[name].append(time.perf_counter() - t)
        out["local_ms"] = percentiles(times["local"])
        out["served_ms"] = percentiles(times["served"])
        out["serve_overhead_p50_ms"] = out["served_ms"]["p50"] - out["local_ms"]["p50"]
        per_question = np.asarray(times["served"]) - np.asarray(times["local"])
        out["serve_overhead_paired_p50_ms"] = float(np.percentile(per_question, 50) * 1000)
        out["load_average_1min"] = os.getloadavg()[0]
    finally:
        served.undeploy()
        local.close()
    return out


def measure_ray(docs: Path, tmp: Path, questions: list[str], shards: int = 4) -> dict:
    from qa.cluster.index import build_on_ray

    out: dict = {"nodes": 2, "cpus_per_node": 1, "shards": shards}
    # one process using both cores, cold as a user runs it: start, model load, build
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(tmp / "one-process"),
                           "--shards", str(shards), "--json"], capture_output=True, text=True, env=env, check=True)
    out["one_process_s"] = time.perf_counter() - t
    passages = json.loads(done.stdout)["passages"]
    out["passages"] = passages

    t = time.perf_counter()
    cluster = _cluster()
    out["cluster_start_s"] = time.perf_counter() - t
    try:
        t = time.perf_counter()
        report = build_on_ray([docs], tmp / "on-ray", shards=shards, address=cluster.address, progress=False)
        out["ray_index_s"] = time.perf_counter() - t
        assert report.passages == passages, (report.passages, passages)
        out["one_process_passages_per_s"] = passages / out["one_process_s"]
        out["ray_passages_per_s"] = passages / out["ray_index_s"]
        out["ray_vs_one_process"] = out["ray_passages_per_s"] / out["one_process_passages_per_s"]
        out.update(measure_serving(tmp / "on-ray", cluster.address, questions))
    finally:
        _stop(cluster)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--questions", type=int, default=150, help="questions timed (spread over the 7 languages)")
    args = ap.parse_args()
    from common import OUT, load_xquad, machine, save_json
    from shards import write_corpus

    from qa import build_index

    xquad = load_xquad()
    questions = [q for data in xquad.values() for q, _ in data["questions"]]
    questions = questions[::max(1, len(questions) // args.questions)][:args.questions]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_corpus(xquad, tmp / "docs")
        build_index([tmp / "docs"], index=tmp / "index", shards=args.shards, progress=False)
        cluster = _cluster()
        try:
            result = {"machine": machine(), "shards": args.shards,
                      **measure_serving(tmp / "index", cluster.address, questions)}
        finally:
            _stop(cluster)
    save_json(OUT / "ray_serve.json", result)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
