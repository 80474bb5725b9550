"""Readers for documents an admin drops in without front matter: PDF, DOCX, HTML."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from .corpus import Document, Page, content_hash, derived_id
from .errors import CorpusError

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm"}


def load_other(path: Path, root: Path) -> Document:
    """Load a PDF, DOCX or HTML file as a document with an id derived from its path."""
    name = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        pages, markdown = _pdf_pages(path, name), False
    elif suffix == ".docx":
        pages, markdown = (Page(_docx_markdown(path, name)),), True
    elif suffix in (".html", ".htm"):
        html_title, body = _html_markdown(path, root)
        pages, markdown = (Page(body),), True
    else:
        raise CorpusError(f"{name}: the assistant cannot read '{suffix}' files; use Markdown, PDF, DOCX, HTML or text.")
    if not any(p.text.strip() for p in pages):
        raise CorpusError(f"{name}: no text could be extracted (a scanned or empty file?); add a text version.")
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    if suffix in (".html", ".htm") and html_title:
        title = html_title
    return Document(id=derived_id(path, root), kind="document", title=title, path=name, pages=pages,
                    markdown=markdown, hash=content_hash(*(p.text for p in pages)))


def _pdf_pages(path: Path, name: str) -> tuple[Page, ...]:
    from pypdf import PdfReader

    # pypdf logs every repair it attempts; the one-line problem below is what the admin needs.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(f"{name}: the PDF is password-protected; save a copy without a password.")
        texts = [(page.extract_text() or "") for page in reader.pages]
    except CorpusError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged PDF can make pypdf raise almost anything
        raise CorpusError(f"{name}: not a readable PDF ({exc.__class__.__name__}: {exc}); replace the file.") from None
    return tuple(Page(_tidy(t), number=i + 1) for i, t in enumerate(texts) if t.strip())


def _docx_markdown(path: Path, name: str) -> str:
    try:
        import docx  # python-docx
        from docx.table import Table
    except ImportError:
        raise CorpusError(f"{name}: reading DOCX needs python-docx; install it or convert the file to PDF.") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a broken file
        raise CorpusError(f"{name}: not a readable DOCX file ({exc.__class__.__name__}); replace the file.") from None
    lines = []
    for block in document.iter_inner_content():  # paragraphs and tables in reading order
        if isinstance(block, Table):
            lines += [" | ".join(c.text.strip() for c in row.cells) for row in block.rows]
            continue
        style = (block.style.name or "").lower() if block.style is not None else ""
        text = block.text.strip()
        if not text:
            continue
        level = re.match(r"heading (\d)", style)
        lines.append(f"{'#' * _heading_level(int(level.group(1)))} {text}" if level else text)
    return "\n\n".join(lines)


def _heading_level(level: int) -> int:
    # The chunker splits on three Markdown levels; deeper headings join the third.
    return min(max(level, 1), 3)


class _HtmlToMarkdown(HTMLParser):
    """Keeps headings as Markdown headings and paragraphs as blocks; drops scripts and styles.

    The page's <title> becomes the document title rather than body text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.skip = 0
        self.title_parts: list[str] | None = None
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "nav", "footer"):
            self.skip += 1
        elif tag == "title":
            self.title_parts = []
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.prefix = "#" * _heading_level(int(tag[1])) + " "
        elif tag in ("p", "li", "div", "br", "tr"):
            self._flush()
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "nav", "footer"):
            self.skip = max(0, self.skip - 1)
        elif tag == "title" and self.title_parts is not None:
            self.title = " ".join("".join(self.title_parts).split())
            self.title_parts = None
        elif re.fullmatch(r"h[1-6]", tag) or tag in ("p", "li", "div", "tr"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
        elif not self.skip:
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(self.prefix + text)
        self.current, self.prefix = [], ""


def _html_markdown(path: Path, root: Path) -> tuple[str, str]:
    """The page's title and its body as Markdown."""
    from .corpus import read_text_file

    parser = _HtmlToMarkdown()
    parser.feed(read_text_file(path, root))
    parser.close()
    parser._flush()
    return parser.title, "\n\n".join(parser.blocks)


def _tidy(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()
