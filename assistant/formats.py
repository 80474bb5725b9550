"""Readers for documents an admin drops in without front matter: PDF, DOCX, HTML."""

from __future__ import annotations

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
        pages, markdown = (Page(_html_markdown(path, root)),), True
    else:
        raise CorpusError(f"{name}: the assistant cannot read '{suffix}' files; use Markdown, PDF, DOCX, HTML or text.")
    if not any(p.text.strip() for p in pages):
        raise CorpusError(f"{name}: no text could be extracted (a scanned or empty file?); add a text version.")
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    return Document(id=derived_id(path, root), kind="document", title=title, path=name, pages=pages,
                    markdown=markdown, hash=content_hash(*(p.text for p in pages)))


def _pdf_pages(path: Path, name: str) -> tuple[Page, ...]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        texts = [(page.extract_text() or "") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise CorpusError(f"{name}: not a readable PDF ({exc.__class__.__name__}: {exc}); replace the file.") from None
    return tuple(Page(_tidy(t), number=i + 1) for i, t in enumerate(texts) if t.strip())


def _docx_markdown(path: Path, name: str) -> str:
    try:
        import docx  # python-docx
    except ImportError:
        raise CorpusError(f"{name}: reading DOCX needs python-docx; install it or convert the file to PDF.") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a broken file
        raise CorpusError(f"{name}: not a readable DOCX file ({exc.__class__.__name__}); replace the file.") from None
    lines = []
    for para in document.paragraphs:
        style = (para.style.name or "").lower() if para.style is not None else ""
        text = para.text.strip()
        if not text:
            continue
        level = re.match(r"heading (\d)", style)
        lines.append(f"{'#' * min(int(level.group(1)) + 1, 4)} {text}" if level else text)
    return "\n\n".join(lines)


class _HtmlToMarkdown(HTMLParser):
    """Keeps headings as Markdown headings and paragraphs as blocks; drops scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "nav", "footer"):
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.prefix = "#" * min(int(tag[1]) + 1, 4) + " "
        elif tag in ("p", "li", "div", "br", "tr"):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "nav", "footer"):
            self.skip = max(0, self.skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in ("p", "li", "div", "tr"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(self.prefix + text)
        self.current, self.prefix = [], ""


def _html_markdown(path: Path, root: Path) -> str:
    from .corpus import read_text_file

    parser = _HtmlToMarkdown()
    parser.feed(read_text_file(path, root))
    parser.close()
    parser._flush()
    return "\n\n".join(parser.blocks)


def _tidy(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()
