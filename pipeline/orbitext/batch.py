"""Streaming batch I/O for ``orbitext extract``: articles in, outputs out, a summary at the end.

Inputs (read lazily, one article at a time, so a run's memory does not grow with its size):

- ``NAME.txt`` files and folders of them (see :mod:`orbitext.corpus`);
- ``-``: one article on standard input;
- ``NAME.jsonl`` files (JSON Lines): one article per line, ``{"id": "...", "text": "...",
  "reference_date": "YYYY-MM-DD"}``. ``id`` and ``text`` are required strings,
  ``reference_date`` may be absent or null (it then comes from ``--reference-date`` or
  the dateline); other keys (``url``, ``title``…) are ignored. Blank lines are skipped and
  a UTF-8 byte-order mark at the file's start is dropped. The text is used exactly as
  given (offsets index it; CRLF counts two characters) and ``text_sha256`` is the hash of
  its UTF-8 bytes. A bad line is reported as ``FILE:LINE: problem`` and the others go on.

Outputs:

- without ``--jsonl``, a ``.txt`` article goes to ``OUT/NAME.json`` (indented JSON, one
  file per article) and a ``NAME.jsonl`` input to ``OUT/NAME.jsonl`` (one compact JSON
  document per line, in input order) — the layout of the sharded distributed run;
- with ``--jsonl FILE``, every output goes to FILE as JSON Lines (``-``: standard output);
- an article read from ``-`` goes to standard output as indented JSON.

Every file is written atomically (a temporary file, then a rename): a ``.jsonl`` output
appears only once its input has been read to the end, and an interrupted run leaves no
partial file. An id must be unique within the output it goes to; a repeat is reported and
skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.progress import (
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from .corpus import (
    Article,
    ArticleError,
    article_paths,
    check_text,
    decode_article,
    read_article,
    write_atomic,
)
from .schema import Document, sha256_hex

JSONL_SUFFIX = ".jsonl"
STDIN = "-"
_BOM = b"\xef\xbb\xbf"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Report = Callable[[Exception], None]


def is_jsonl(path: Path) -> bool:
    """True for a JSON Lines input (a path ending in ``.jsonl``)."""
    return path.name.endswith(JSONL_SUFFIX)


# --- reading ---------------------------------------------------------------------------


def parse_jsonl_line(raw: bytes, source: str) -> Article:
    """One JSON Lines article; a one-line :class:`ArticleError` naming ``source`` if bad."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(source, f"not valid UTF-8 (byte {exc.start}: {exc.reason})") from None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ArticleError(source, f"invalid JSON at column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ArticleError(source, 'not a JSON object with "id" and "text"')
    doc_id, text, ref = data.get("id"), data.get("text"), data.get("reference_date")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise ArticleError(source, '"id" must be a non-empty string')
    if not isinstance(text, str):
        raise ArticleError(source, f'article {doc_id!r}: "text" must be a string')
    check_text(text, source)
    return Article(
        doc_id=doc_id,
        text=text,
        sha256=sha256_hex(text.encode("utf-8")),
        source=source,
        reference_date=_parse_day(ref, source),
    )


def _parse_day(value: object, source: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ArticleError(source, f'"reference_date" {value!r} is not a date in YYYY-MM-DD form')


def read_jsonl(path: Path) -> Iterator[Article | ArticleError]:
    """The articles of a JSON Lines file in order, each bad line as its error.

    A file that cannot be read (or holds no article) yields one error whose ``source`` is
    the file itself, after the articles read before the fault, if any.
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        yield ArticleError(str(path), "no such file")
        return
    except IsADirectoryError:
        yield ArticleError(str(path), "is a folder, not a JSON Lines file")
        return
    except OSError as exc:
        yield ArticleError(str(path), f"cannot read: {exc.strerror}")
        return
    lines = 0
    with handle:
        numbered = enumerate(handle, 1)
        while True:
            try:
                number, raw = next(numbered)
            except StopIteration:
                break
            except OSError as exc:
                yield ArticleError(str(path), f"cannot read past line {lines}: {exc.strerror}")
                return
            if number == 1:
                raw = raw.removeprefix(_BOM)
            if not raw.strip():
                continue
            lines += 1
            try:
                yield parse_jsonl_line(raw, f"{path}:{number}")
            except ArticleError as exc:
                yield exc
    if not lines:
        yield ArticleError(str(path), "holds no articles (empty JSON Lines file)")


# --- writing ---------------------------------------------------------------------------


def jsonl_line(document: Document) -> str:
    """A document as one line of a JSON Lines output (the same in every kind of run)."""
    return document.model_dump_json() + "\n"


def json_file(document: Document) -> str:
    """A document as the content of a ``NAME.json`` output."""
    return document.model_dump_json(indent=2, exclude_none=False) + "\n"


class JsonlWriter:
    """A JSON Lines file written atomically: lines go to a temporary file in the target's
    folder, renamed onto the target by :meth:`commit`; :meth:`discard` drops it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._tmp = Path(tmp)
        # mkstemp makes the file 0600; give it the permissions a plain open() would.
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)
        self._handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8")

    def write(self, line: str) -> None:
        self._handle.write(line)

    def commit(self) -> None:
        """Flush to disk and rename the temporary file onto the target."""
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self._tmp, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Drop the temporary file (an interrupted or failed output)."""
        self._handle.close()
        self._tmp.unlink(missing_ok=True)


class _StdoutWriter:
    """JSON Lines on standard output (``--jsonl -``): streamed, so not atomic."""

    path = Path("<stdout>")

    def write(self, line: str) -> None:
        sys.stdout.write(line)

    def commit(self) -> None:
        sys.stdout.flush()

    def discard(self) -> None:
        sys.stdout.flush()


@dataclass
class Counts:
    """What a run did, for its summary line."""

    written: int = 0
    entities: int = 0
    events: int = 0
    failed: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, document: Document) -> None:
        self.written += 1
        self.entities += len(document.entities)
        self.events += len(document.events)

    def summary(self, destination: str) -> str:
        """``N article(s) written to DEST, F failed; E entities, V events in T s (R/s)``."""
        seconds = time.perf_counter() - self.started
        rate = self.written / seconds if seconds > 0 else 0.0
        return (
            f"{self.written} article(s) written to {destination}, {self.failed} failed; "
            f"{self.entities} entities, {self.events} events in {seconds:.1f} s "
            f"({rate:.1f} articles/s)"
        )


@dataclass
class _Route:
    """One destination: a folder of NAME.json files, a JSON Lines file, or stdout."""

    kind: str  # "files", "jsonl" or "stdout"
    path: Path
    ids: dict[str, str] = field(default_factory=dict)  # id -> the source that took it
    pending: int = 0
    sealed: bool = False
    writer: JsonlWriter | _StdoutWriter | None = None
    broken: bool = False
    done: bool = False
    # What its file holds so far: counted as written only once the file is committed.
    held: Counts | None = None


class Batch:
    """Reads a run's inputs lazily and routes each article's output to its destination.

    :meth:`articles` feeds the extractor; :meth:`done` takes each result back in the
    same order. Failures are reported through ``report`` (one line each) and counted.
    """

    def __init__(self, out: Path, jsonl: Path | None, report: Report) -> None:
        self.out = out
        self.counts = Counts()
        self._report = report
        self._routes: dict[Path, _Route] = {}
        self._order: deque[_Route] = deque()  # each pending article's route, in order
        self._single: _Route | None = None
        if jsonl is not None:
            self._single = self._route("stdout" if str(jsonl) == STDIN else "jsonl", jsonl)
            self._open(self._single)  # an unwritable --jsonl fails before any extraction

    @property
    def destination(self) -> str:
        """Where the outputs went, for the summary."""
        places = {
            "standard output" if r.kind == "stdout" else
            str(r.path) if r is self._single else f"{self.out}/"
            for r in self._routes.values()
        }
        return " and ".join(sorted(places)) or f"{self.out}/"

    @property
    def usable(self) -> bool:
        """False when the single ``--jsonl`` output could not be opened."""
        return self._single is None or not self._single.broken

    def fail(self, error: Exception) -> None:
        """Report one failure on one line and count it."""
        self.counts.failed += 1
        self._report(error)

    # -- reading

    def articles(self, paths: list[Path]) -> Iterator[Article]:
        """Every readable article of ``paths``, in order; the others are reported."""
        for path in paths:
            if str(path) == STDIN:
                try:
                    article = decode_article(sys.stdin.buffer.read(), "<stdin>", "stdin")
                except ArticleError as exc:
                    self.fail(exc)
                    continue
                route = self._single or self._route("stdout", Path("<stdout>"))
                yield from self._admit(article, route)
            elif not path.exists():
                self.fail(ArticleError(str(path), "no such file or folder"))
            elif is_jsonl(path) and not path.is_dir():
                yield from self._jsonl_articles(path)
            else:
                yield from self._txt_articles(path)

    def _txt_articles(self, path: Path) -> Iterator[Article]:
        found = article_paths(path)
        if path.is_dir() and not found:
            self.fail(ArticleError(str(path), "folder holds no .txt articles"))
        route = self._single or self._route("files", self.out)
        for file in found:
            try:
                article = read_article(file)
            except ArticleError as exc:
                self.fail(exc)
                continue
            yield from self._admit(article, route)

    def _jsonl_articles(self, path: Path) -> Iterator[Article]:
        route = self._single
        if route is None:
            target = self.out / path.name
            if target.resolve() == path.resolve():
                self.fail(ArticleError(str(path), f"its output {target} would overwrite it; "
                                                  "skipped (choose another --out)"))
                return
            if target in self._routes:
                self.fail(ArticleError(str(path), f"its output {target} is another input's "
                                                  "output too; skipped"))
                return
            route = self._route("jsonl", target)
        complete = True
        for item in read_jsonl(path):
            if isinstance(item, ArticleError):
                self.fail(item)
                # The file itself failed, not one line: its output is not written.
                complete = complete and item.source != str(path)
                continue
            yield from self._admit(item, route)
        if route is not self._single:
            # Written once every result is in; discarded if the input was not read whole.
            route.broken = route.broken or not complete
            route.sealed = True
            self._settle(route)

    def _admit(self, article: Article, route: _Route) -> Iterator[Article]:
        first = route.ids.setdefault(article.doc_id, article.source)
        if first != article.source:
            what = (f"same name as {first}; skipped so {article.doc_id}.json is not overwritten"
                    if route.kind == "files" else
                    f"id {article.doc_id!r} already used by {first}; skipped")
            self.fail(ArticleError(article.source, what))
            return
        route.pending += 1
        self._order.append(route)
        yield article

    # -- writing

    def done(self, article: Article, document: Document | Exception) -> None:
        """Take the next article's result (in the order :meth:`articles` gave them)."""
        route = self._order.popleft()
        route.pending -= 1
        if isinstance(document, Exception):
            self.fail(document)
        elif route.kind == "files":
            target = route.path / f"{article.doc_id}.json"
            try:
                write_atomic(target, json_file(document))
            except OSError as exc:
                self.fail(ArticleError(str(target), f"cannot write output: {exc.strerror}"))
            else:
                self.counts.add(document)
        elif route.kind == "stdout" and route is not self._single:
            sys.stdout.write(json_file(document))
            self.counts.add(document)
        elif self._open(route):
            assert route.writer is not None
            try:
                route.writer.write(jsonl_line(document))
            except OSError as exc:  # a full disk: this output is lost, the others go on
                route.broken = True
                self.fail(ArticleError(str(route.path), f"cannot write output: {exc.strerror}"))
            else:
                route.held = route.held or Counts()
                route.held.add(document)
        self._settle(route)

    def close(self) -> None:
        """Commit the outputs still open (the ``--jsonl`` file)."""
        if self._single is not None:
            self._single.sealed = True
            self._settle(self._single)

    def abandon(self) -> None:
        """Drop every uncommitted output (the run was interrupted)."""
        for route in self._routes.values():
            if route.writer is not None and not route.done:
                route.writer.discard()

    def _route(self, kind: str, path: Path) -> _Route:
        route = self._routes.get(path)
        if route is None:
            route = self._routes[path] = _Route(kind, path)
        return route

    def _open(self, route: _Route) -> bool:
        if route.broken:
            return False
        if route.writer is not None:
            return True
        if route.kind == "stdout":
            route.writer = _StdoutWriter()
            return True
        try:
            route.writer = JsonlWriter(route.path)
        except OSError as exc:
            route.broken = True
            self.fail(ArticleError(str(route.path), f"cannot write output: {exc.strerror}"))
            return False
        return True

    def _settle(self, route: _Route) -> None:
        """Commit a JSON Lines output once its input is read and every result is in."""
        if route.kind == "files" or route.done or not route.sealed or route.pending:
            return
        if route.kind == "stdout" and route is not self._single:
            return
        if route.broken:
            if route.writer is not None:
                route.writer.discard()
        elif self._open(route):
            assert route.writer is not None
            try:
                route.writer.commit()
            except OSError as exc:
                self.fail(ArticleError(str(route.path), f"cannot write output: {exc.strerror}"))
            else:
                if route.held is not None:
                    self.counts.written += route.held.written
                    self.counts.entities += route.held.entities
                    self.counts.events += route.held.events
        route.held = None
        route.done = True


# --- progress --------------------------------------------------------------------------


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} articles/s" if speed else "… articles/s", style="cyan")


class ProgressDisplay:
    """A live line on stderr (articles done, articles/s, time), only on a terminal."""

    def __init__(self, label: str = "extracting", console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = self.console.is_terminal
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._label = label

    def __enter__(self) -> ProgressDisplay:
        if self.enabled:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed} articles"),
                _RateColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(self._label, total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)
            self._progress = None

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more articles done."""
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, count)

    def echo(self, line: str) -> None:
        """Print one line on stderr, above the live line when there is one."""
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr, flush=True)
