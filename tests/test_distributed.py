"""Extraction on a Dask cluster: a 2-worker LocalCluster writes what one process writes.

Skipped when Dask is not installed (it is the optional extra ``orbitext[dask]``; the
``test`` extra installs it, so CI runs this).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from spacy.language import Language
from typer.testing import CliRunner

from orbitext import cli
from orbitext.corpus import article_paths, read_article

distributed = pytest.importorskip(
    "dask.distributed", reason="Dask is not installed (pip install 'orbitext[dask]')"
)

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes with one thread each, as the README tells users to run them."""
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
    ) as local:
        yield local


@pytest.fixture
def shards(tmp_path: Path, corpus_dir: Path) -> list[Path]:
    """Three shards of three corpus articles each; the second also has two bad lines."""
    articles = [read_article(p) for p in article_paths(corpus_dir)[:9]]
    folder = tmp_path / "shards"
    folder.mkdir()
    paths = []
    for k in range(3):
        lines = [json.dumps({"id": a.doc_id, "text": a.text}) for a in articles[k::3]]
        if k == 1:
            lines += ['{"id": "", "text": "NASA"}', "not json"]
        path = folder / f"part-{k}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def invoke(*args: object) -> Result:
    return runner.invoke(cli.app, [str(a) for a in args])


def errors(result: Result) -> list[str]:
    return sorted(line for line in result.stderr.splitlines() if line.startswith("error:"))


def test_dask_run_writes_what_one_process_writes(
    cluster: object, shards: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    nlp: Language,
) -> None:
    monkeypatch.setattr(cli, "build_nlp", lambda *a, **k: nlp)
    single = invoke("extract", *shards, "--out", tmp_path / "single")
    assert single.exit_code == 1, single.output
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    dask = invoke("extract", *shards, "--out", tmp_path / "dask", "--scheduler", address)
    assert dask.exit_code == 1, dask.output
    bad = shards[1]
    expected = [
        f'error: {bad}:4: "id" must be a non-empty string',
        f"error: {bad}:5: invalid JSON at column 1: Expecting value",
    ]
    assert errors(single) == expected
    assert errors(dask) == expected
    names = [p.name for p in shards]
    assert sorted(p.name for p in (tmp_path / "dask").iterdir()) == names
    for name in names:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "single" / name).read_bytes()
    assert f"9 article(s) written to {tmp_path / 'dask'}/, 2 failed" in dask.stderr


def test_each_worker_builds_the_pipeline_once(
    cluster: object, shards: list[Path], tmp_path: Path
) -> None:
    from orbitext.distributed import extract_shards

    with distributed.Client(cluster) as client:
        reports = list(extract_shards(client, shards * 2, tmp_path / "out"))
    assert sorted(r.written for r in reports) == [3, 3, 3, 3, 3, 3]
    assert {r.builds for r in reports} == {1}
    assert 1 <= len({r.worker_pid for r in reports}) <= 2


def test_scheduler_takes_only_jsonl_shards(
    cluster: object, shards: list[Path], tmp_path: Path
) -> None:
    text = tmp_path / "a.txt"
    text.write_text("NASA launched a rocket.\n", encoding="utf-8")
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    result = invoke("extract", shards[0], text, tmp_path / "nope.jsonl", "--out",
                    tmp_path / "out", "--scheduler", address)
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {text}: not a .jsonl shard (--scheduler takes JSON Lines files)",
        f"error: {tmp_path / 'nope.jsonl'}: no such file",
    ]
    assert (tmp_path / "out" / shards[0].name).is_file()


def test_unreachable_scheduler_is_one_line(
    shards: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orbitext.distributed

    monkeypatch.setattr(orbitext.distributed, "CONNECT_TIMEOUT", "1s")
    result = invoke("extract", shards[0], "--out", tmp_path / "out", "--scheduler",
                    "tcp://127.0.0.1:9")
    assert result.exit_code == 1
    lines = errors(result)
    assert len(lines) == 1
    assert lines[0].startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert "Traceback" not in result.output
