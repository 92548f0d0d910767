"""Extraction on a Dask cluster: JSON Lines shards in, sharded JSON Lines out.

From the command line (``pip install 'orbitext[dask]'``)::

    dask scheduler                                    # on one machine
    dask worker tcp://SCHEDULER:8786 --nworkers 4 --nthreads 1   # on each worker machine
    orbitext extract shards/*.jsonl --out results/ --scheduler tcp://SCHEDULER:8786

or from Python::

    from dask.distributed import Client
    from orbitext.distributed import extract_shards

    with Client("tcp://SCHEDULER:8786") as client:
        for report in extract_shards(client, shards, out_dir):
            print(report.shard, report.written, report.errors)

Each shard ``NAME.jsonl`` becomes ``OUT/NAME.jsonl``, written by the worker atomically and
byte for byte what a single-process ``orbitext extract NAME.jsonl --out OUT`` writes (the
same :class:`orbitext.batch.Batch` code runs on the worker). Workers read and write the
paths the client gives, so they need the same file system (a shared mount).

Each worker process builds the pipeline once, on its first shard, and keeps it in a
module-level cache; it runs one shard at a time (the work is pure Python, so a worker's
extra threads would only wait for the GIL: run workers with ``--nthreads 1``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from dask.distributed import Client, as_completed
from spacy.language import Language

from .batch import Batch, is_jsonl
from .datenorm import DateTablesError
from .extract import extract_articles
from .nlp import build_nlp
from .resources import ResourceError
from .schema import SchemaError

# How long the client waits for the scheduler before giving up.
CONNECT_TIMEOUT = "20s"
_LOCK = threading.Lock()  # one shard at a time per worker process: one nlp, one memory zone
_BUILDS = 0  # how many times this process built the pipeline (the tests check it is once)


@dataclass
class ShardReport:
    """What one shard's task did: counts, and one line per failure."""

    shard: str
    output: str
    written: int = 0
    entities: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    worker_pid: int = 0
    builds: int = 0


@functools.cache
def worker_nlp() -> Language:
    """The pipeline of this worker process, built on first use."""
    global _BUILDS
    _BUILDS += 1
    return build_nlp()


def extract_shard(
    shard: str, out_dir: str, reference_date: str | None = None, batch_size: int = 16
) -> ShardReport:
    """Extract one JSON Lines shard into ``out_dir/NAME.jsonl`` (runs on a Dask worker)."""
    report = ShardReport(shard=shard, output=str(Path(out_dir) / Path(shard).name),
                         worker_pid=os.getpid())
    ref = dt.date.fromisoformat(reference_date) if reference_date else None
    with _LOCK:
        try:
            nlp = worker_nlp()
        except (SchemaError, ResourceError, DateTablesError) as exc:
            report.errors.append(f"{shard}: cannot build the pipeline on the worker: {exc}")
            return report
        batch = Batch(Path(out_dir), None, lambda exc: report.errors.append(str(exc)))
        results = extract_articles(nlp, batch.articles([Path(shard)]), ref, batch_size)
        try:
            with closing(results):
                for article, document in results:
                    batch.done(article, document)
            batch.close()
        except BaseException:
            batch.abandon()
            raise
        report.builds = _BUILDS
    report.written = batch.counts.written
    report.entities = batch.counts.entities
    report.events = batch.counts.events
    return report


def shard_plan(paths: Sequence[Path], out_dir: Path, fail: Callable[[str], None]) -> list[Path]:
    """The shards to run: existing ``.jsonl`` files with distinct output names.

    Anything else is reported through ``fail`` (one line each) and left out.
    """
    shards: list[Path] = []
    outputs: dict[str, Path] = {}
    for path in paths:
        if str(path) == "-" or not is_jsonl(path):
            fail(f"{path}: not a .jsonl shard (--scheduler takes JSON Lines files)")
        elif not path.is_file():
            fail(f"{path}: no such file")
        elif path.name in outputs:
            fail(f"{path}: same name as {outputs[path.name]}; both would write "
                 f"{out_dir / path.name}")
        elif (out_dir / path.name).resolve() == path.resolve():
            fail(f"{path}: its output {out_dir / path.name} would overwrite it; "
                 "choose another --out")
        else:
            outputs[path.name] = path
            shards.append(path)
    return shards


def connect(address: str) -> Client:
    """A client of the scheduler at ``address``; :class:`ConnectionError` (one line) if none."""
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConnectionError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def extract_shards(
    client: Client,
    shards: Sequence[Path],
    out_dir: Path,
    reference_date: dt.date | None = None,
    batch_size: int = 16,
) -> Iterator[ShardReport]:
    """Run every shard on the cluster; yield each shard's report as it completes.

    A task that fails outright (a worker lost, a bug) is reported as its shard's error.
    """
    out = str(out_dir.absolute())
    ref = reference_date.isoformat() if reference_date else None
    futures = {
        client.submit(extract_shard, str(shard.absolute()), out, ref, batch_size,
                      pure=False, key=f"orbitext-shard-{i}-{shard.name}"): shard
        for i, shard in enumerate(shards)
    }
    for future in as_completed(futures):
        shard = futures[future]
        try:
            yield future.result()
        except Exception as exc:  # noqa: BLE001  (one shard's failure must not stop the rest)
            yield ShardReport(
                shard=str(shard),
                output=str(out_dir / shard.name),
                errors=[f"{shard}: task failed on the cluster: {type(exc).__name__}: {exc}"],
            )
