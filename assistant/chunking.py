"""Split documents along headings into chunks of a few sentences that stand on their own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from .corpus import Document, content_hash

_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(\[*-])")


@dataclass(frozen=True)
class Chunk:
    """A passage of one document with everything a citation needs."""

    id: str
    doc_id: str
    kind: str
    title: str
    heading: str
    text: str
    position: int
    sources: tuple[str, ...] = ()
    page: int | None = None
    path: str = ""
    aliases: tuple[str, ...] = ()
    label: str = ""

    @property
    def citation_label(self) -> str:
        """The short label a citation shows: front-matter `label`, else "<id> <title>" (CONTRACT.md)."""
        return self.label or f"{self.doc_id} {self.title}"

    @property
    def embed_text(self) -> str:
        """What is embedded and searched: title and heading travel with the passage."""
        head = f"{self.title} - {self.heading}" if self.heading else self.title
        return f"{head}\n{self.text}"

    @property
    def hash(self) -> str:
        """Changes whenever anything that is embedded or cited changes."""
        return content_hash(self.doc_id, self.embed_text, "|".join(self.sources), str(self.page), self.label)

    @property
    def source_url(self) -> str:
        """The first public source of the document, or empty."""
        return self.sources[0] if self.sources else ""

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for Chroma (no None values, no lists)."""
        return {
            "doc_id": self.doc_id, "kind": self.kind, "title": self.title, "heading": self.heading,
            "position": self.position, "sources": "\n".join(self.sources),
            "page": self.page if self.page is not None else -1, "path": self.path, "hash": self.hash,
            "aliases": "\n".join(self.aliases), "label": self.label,
        }

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict) -> "Chunk":
        """Rebuild a chunk from what Chroma stores."""
        page = int(meta.get("page", -1))
        return cls(
            id=chunk_id, doc_id=str(meta["doc_id"]), kind=str(meta["kind"]), title=str(meta["title"]),
            heading=str(meta.get("heading", "")), text=text, position=int(meta.get("position", 0)),
            sources=tuple(s for s in str(meta.get("sources", "")).split("\n") if s),
            page=page if page >= 0 else None, path=str(meta.get("path", "")),
            aliases=tuple(a for a in str(meta.get("aliases", "")).split("\n") if a),
            label=str(meta.get("label", "")),
        )


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; list items count as sentences of their own.

    A short list introduced by a line ending in a colon stays one sentence with its intro,
    so "Rochdale works with: a; b; c." reads whole when quoted alone.
    """
    # A blank line, a list item, or a Markdown hard break (two spaces before a line break) ends a block.
    blocks = [b.strip() for b in re.split(r"\n\s*\n|\n(?=\s*[-*] )|(?<=\S) {2,}\n", text) if b.strip()]
    out: list[str] = []
    i = 0
    while i < len(blocks):
        block = " ".join(blocks[i].split())
        items: list[str] = []
        j = i + 1
        while block.endswith(":") and j < len(blocks) and re.match(r"^[-*]\s+", blocks[j]):
            items.append(" ".join(re.sub(r"^[-*]\s+", "", blocks[j]).split()).rstrip(";,."))
            j += 1
        if items and all(len(item.split()) <= 25 for item in items):
            out.append(block + " " + "; ".join(items) + ".")
            i = j
            continue
        block = re.sub(r"^[-*]\s+", "", block)
        out.extend(s.strip() for s in _SENTENCE_END.split(block) if s.strip())
        i += 1
    return out


class Chunker:
    """Splits documents into chunks.

    >>> chunks = Chunker(max_chars=700, overlap=80).split(document)
    """

    def __init__(self, max_chars: int = 700, overlap: int = 80) -> None:
        self.headers = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True)
        self.splitter = RecursiveCharacterTextSplitter(
            chunk_size=max_chars, chunk_overlap=overlap,
            separators=["\n\n", "\n- ", "\n", ". ", "; ", ", ", " "], keep_separator="end",
        )

    def split(self, doc: Document) -> list[Chunk]:
        """Chunks of one document, in reading order."""
        pieces: list[tuple[str, str, int | None]] = []
        for page in doc.pages:
            sections = self.headers.split_text(page.text) if doc.markdown else []
            if not sections:
                pieces.extend((t, "", page.number) for t in self.splitter.split_text(page.text))
                continue
            for section in sections:
                heading = " > ".join(section.metadata[k] for _, k in _HEADERS if k in section.metadata)
                pieces.extend((t, heading, page.number) for t in self.splitter.split_text(section.page_content))
        chunks: list[Chunk] = []
        carried = False
        for text, heading, page in pieces:
            text = text.strip()
            # The splitter keeps a list item's "- " with the chunk before it; move it to its item.
            if carried and not text.startswith("- "):
                text = "- " + text
            carried = bool(re.search(r"(^|\n)-$", text))
            if carried:
                text = text[:-1].rstrip()
            if len(text) < 3:
                continue
            position = len(chunks)
            chunks.append(Chunk(
                id=f"{doc.id}#{position}", doc_id=doc.id, kind=doc.kind, title=doc.title, heading=heading,
                text=text, position=position, sources=doc.sources, page=page, path=doc.path, aliases=doc.aliases, label=doc.label,
            ))
        return chunks

    def split_all(self, docs: list[Document]) -> list[Chunk]:
        """Chunks of every document."""
        return [c for d in docs for c in self.split(d)]
