"""Reading articles and gold files, and writing outputs atomically.

Articles are read as bytes and decoded as strict UTF-8 without newline translation, so
offsets index the text exactly as stored (CRLF stays two characters). A UTF-8 byte-order
mark is stripped (it is an encoding marker, not text) and the hash is taken of the
file's bytes, as ANNOTATION.md's ``text_sha256`` is. A file that looks like an HTML page
is refused rather than extracted: its markup would become entities and its offsets would
not index the article's text (convert it to plain text first).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .schema import Document, SchemaError, sha256_hex, validate_document

GOLD_SUFFIX = ".gold.json"
_BOM = "\ufeff"
# An HTML page: a document prologue or root tag first, or tags all through its start.
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|\?xml)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?(?:html|head|body|div|span|p|a|br|script|style|meta|link|table|tr|"
                       r"td|li|ul|ol|h[1-6]|img|strong|em|b|i)\b[^<>]*>", re.IGNORECASE)
_HTML_TAGS_IN_HEAD = 5


class ArticleError(ValueError):
    """An article that cannot be processed; ``str()`` is one line naming the file."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


@dataclass(frozen=True)
class Article:
    """An article as read: its id, its text and the hash of its bytes."""

    doc_id: str
    text: str
    sha256: str
    source: str
    # The article's own publication date (a JSON Lines field); it wins over --reference-date.
    reference_date: dt.date | None = None


def decode_article(data: bytes, source: str, doc_id: str) -> Article:
    """Decode an article's bytes, refusing what is not plain UTF-8 text."""
    if b"\x00" in data:
        raise ArticleError(source, "binary file (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(source, f"not valid UTF-8 (byte {exc.start}: {exc.reason})") from None
    if text.startswith(_BOM):
        text = text[1:]
    check_text(text, source)
    return Article(doc_id=doc_id, text=text, sha256=sha256_hex(data), source=source)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML page (or fragment) rather than plain text."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_HTML_TAG.findall(head)) >= _HTML_TAGS_IN_HEAD


def check_text(text: str, source: str) -> None:
    """Refuse a decoded text that is not a plain-text article (one-line :class:`ArticleError`)."""
    if "\x00" in text:
        raise ArticleError(source, "text contains NUL characters, not a text article")
    if not text.strip():
        raise ArticleError(source, "empty article (no text)")
    if looks_like_html(text):
        raise ArticleError(source, "looks like HTML, not plain text (convert it to text first)")


def article_id(path: Path) -> str:
    """The document id of an article file: its name without ``.txt``."""
    return path.name[: -len(".txt")] if path.name.endswith(".txt") else path.stem


def read_article(path: Path) -> Article:
    """Read one article file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ArticleError(str(path), "is a folder, not an article") from None
    except OSError as exc:
        raise ArticleError(str(path), f"cannot read: {exc.strerror}") from None
    return decode_article(data, str(path), article_id(path))


def article_paths(path: Path) -> list[Path]:
    """The articles a PATH argument names: the file itself, or a folder's ``*.txt``."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.txt") if p.is_file())
    return [path]


def gold_path(article: Path) -> Path:
    """The gold file beside an article: ``NAME.gold.json`` for ``NAME.txt``."""
    return article.with_name(article_id(article) + GOLD_SUFFIX)


def read_json_document(path: Path, article: Article | None = None) -> Document:
    """Read and validate a gold or output JSON file, checked against ``article`` if given."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(str(path), f"cannot read: {exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SchemaError(str(path), f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    doc = validate_document(
        data,
        str(path),
        text=article.text if article else None,
        sha256=article.sha256 if article else None,
    )
    if article is not None and doc.doc_id != article.doc_id:
        raise SchemaError(str(path), f"doc_id {doc.doc_id!r} differs from the article's name")
    return doc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` via a temporary file and a rename.

    An interrupted run never leaves a truncated file: readers see the old file or the
    new one, nothing in between.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; give it the permissions a plain open() would.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        # Remove the partial temporary file, then let the error go on to the caller.
        Path(tmp).unlink(missing_ok=True)
        raise
