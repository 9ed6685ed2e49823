"""kg build on a Dask cluster: a real LocalCluster started by the tests, the same output as a local build."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import distributed  # the dask extra, part of dev: pip install -e '.[dev]'
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.distributed import _groups, build_on_dask
from kg.ingest import read_articles
from kg.model import Actor, Article, Event
from kg.pipeline import BuildStats, build, mentions

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(__file__).resolve().parent / "data" / "cli"


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    # threads in this process (fast to start, pipelines shared with the test); tcp like a real cluster
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                                  dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster: distributed.LocalCluster) -> Iterator[distributed.Client]:
    with distributed.Client(cluster) as c:
        yield c


def corpus(n: int) -> list[Article]:
    base = list(read_articles([ROOT / "data"], lang=None)) + list(read_articles([CLI / "articles.jsonl"]))
    return [dataclasses.replace(base[i % len(base)], id=f"{base[i % len(base)].id}#{i}") for i in range(n)]


def test_dask_build_gives_the_local_meetings_mentions_and_counts(client: distributed.Client) -> None:
    articles = corpus(30)
    local_stats, dask_stats = BuildStats(), BuildStats()
    local_keep: list[Event] = []
    dask_keep: list[Event] = []
    seen: list[str] = []
    local = build(articles, stats=local_stats, keep=local_keep)
    remote = build_on_dask(articles, client, stats=dask_stats, keep=dask_keep, progress=lambda a: seen.append(a.id),
                           partition_size=4, buckets=3)
    assert [e.to_dict() for e in remote] == [e.to_dict() for e in local]
    assert len(local) >= 3 and max(len(e.evidence) for e in local) >= 5  # merged across partitions
    assert [e.to_dict() for e in dask_keep] == [e.to_dict() for e in local_keep]
    assert (dask_stats.articles, dask_stats.words, dask_stats.mentions) == (
        local_stats.articles, local_stats.words, local_stats.mentions)
    assert seen == [a.id for a in articles]


def test_given_events_come_first_as_in_a_local_build(client: distributed.Client) -> None:
    articles = corpus(8)
    given = list(mentions(corpus(3)))
    local = build(articles, events=given)
    assert [e.to_dict() for e in build(articles, events=given, dask=client)] == [e.to_dict() for e in local]


def test_bad_language_is_reported_with_file_and_line_on_the_cluster(client: distributed.Client) -> None:
    stats = BuildStats()
    articles = list(read_articles([CLI / "articles.jsonl"], problems=stats.problems))
    build(articles, stats=stats, dask=client)
    assert any(str(p).startswith(f"{CLI / 'articles.jsonl'}:4:") and "'sw'" in str(p) for p in stats.problems)


def test_merge_groups_keep_connected_pairs_together() -> None:
    from array import array

    from kg.merge import Components, blocking_keys

    a, b, c, d, e = (Actor(n) for n in ("A A", "B B", "C C", "D D", "E E"))
    evs = [Event((a, b), None, None), Event((d, e), None, None), Event((a, b, c), None, None), Event((b, c), None, None)]
    comps = Components()
    firsts = [array("q", (comps.add(blocking_keys(x)) for x in evs[:2])),
              array("q", (comps.add(blocking_keys(x)) for x in evs[2:]))]
    groups = _groups(comps, firsts, 2)
    flat = [g for part in groups for g in part]
    assert flat[0] == flat[2] == flat[3] != flat[1]  # a-b, a-b-c and b-c are one component; d-e another


def test_cli_build_with_dask_address_writes_the_local_files(cluster: distributed.LocalCluster, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in corpus(12))
                   + (CLI / "articles.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    local = runner.invoke(main, ["build", str(src), "--out", str(tmp_path / "local"), "-q"])
    assert local.exit_code == 0, local.output
    res = runner.invoke(main, ["build", str(src), "--out", str(tmp_path / "dask"), "-q", "--dask",
                               cluster.scheduler_address])
    assert cluster.scheduler_address.startswith("tcp://")
    assert res.exit_code == 0, res.output
    assert f"{src}:14: not valid JSON" in res.output and f"{src}:16:" in res.output
    warnings = [line for line in res.output.splitlines() if line.startswith("warning:")]
    assert warnings == [line for line in local.output.splitlines() if line.startswith("warning:")]
    assert (tmp_path / "dask" / "events.jsonl").read_bytes() == (tmp_path / "local" / "events.jsonl").read_bytes()
    q = ["query", "who-met-whom", "--format", "csv", "--store"]
    assert (runner.invoke(main, [*q, str(tmp_path / "dask" / "store")]).output
            == runner.invoke(main, [*q, str(tmp_path / "local" / "store")]).output)
