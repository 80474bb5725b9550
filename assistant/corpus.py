"""Load corpus documents and validate their front matter against the contract."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import CorpusError

# The contract's ids (../shared/CONTRACT.md): other tools and the eval sets depend on them.
ELEMENTS: dict[str, tuple[str, str]] = {
    "framework": ("framework", "The Framework as a whole: its parts and how it came about"),
    "A1": ("approach", "Integrating voice"),
    "A2": ("approach", "Understanding needs"),
    "A3": ("approach", "Making best use of available information"),
    "A4": ("approach", "Ensuring appropriate action and learning"),
    "P1": ("practice", "Bringing voice into co-design of information use"),
    "P2": ("practice", "Using theory of change to improve information use"),
    "P3": ("practice", "Mapping information"),
    "P4": ("practice", "Mapping systems"),
    "P5": ("practice", "Using broad sources of local information"),
    "P6": ("practice", "Integrating voice information into aggregate and strategic reporting"),
    "P7": ("practice", "Improving voice in operational information use"),
    "P8": ("practice", "Drawing from national datasets"),
    "E1": ("enabler", "Infrastructure and governance"),
    "E2": ("enabler", "Behaviours and culture"),
    "principles": ("report", "The two core principles (effective, ethical) and the definition of ethical and effective information use"),
    "voice": ("report", "What the project means by voice"),
    "findings": ("report", "Key findings and key messages"),
    "project": ("report", "Who runs the project, funding, partners, aims, the Learning Network, timeline"),
    "next-steps": ("report", "What the project will do next"),
    "site-hampshire": ("report", "Hampshire's information use project"),
    "site-north-yorkshire": ("report", "North Yorkshire's information use project"),
    "site-oldham": ("report", "Oldham's information use project"),
    "site-rochdale": ("report", "Rochdale's information use project"),
    "genai": ("report", "Generative AI in case recording"),
    "resources": ("report", "Other learning resources: LEAP outcomes framework, Families First, podcasts, videos"),
}
KINDS = ("framework", "approach", "practice", "enabler", "report", "document")
FRONT_MATTER_FIELDS = {"id", "kind", "title", "label", "sources", "aliases"}


@dataclass(frozen=True)
class Page:
    """A stretch of a document's body; formats with pages give one per page."""

    text: str
    number: int | None = None


@dataclass(frozen=True)
class Document:
    """One corpus document with validated metadata."""

    id: str
    kind: str
    title: str
    path: str
    pages: tuple[Page, ...]
    sources: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    markdown: bool = True
    label: str = ""  # the short citation label; "" means "<id> <title>" (see CONTRACT.md)
    hash: str = field(default="")

    @property
    def text(self) -> str:
        """The whole body as one string."""
        return "\n\n".join(p.text for p in self.pages)


def content_hash(*parts: str) -> str:
    """A short stable hash of some text."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def derived_id(path: Path, root: Path) -> str:
    """The id a file without front matter gets: `doc:` and its path below the corpus."""
    return "doc:" + path.relative_to(root).as_posix()


def parse_markdown(text: str, path: Path, root: Path) -> Document:
    """Parse one Markdown file; front matter is required and checked against the contract."""
    name = path.relative_to(root).as_posix()
    if not text.startswith("---"):
        return _plain_document(text, path, root, markdown=True)
    try:
        _, head, body = text.split("---", 2)
    except ValueError:
        raise CorpusError(f"{name}: the front matter has no closing '---' line; add one.") from None
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"{name}: the front matter is not valid YAML ({exc.__class__.__name__}); fix it.") from None
    if not isinstance(meta, dict):
        raise CorpusError(f"{name}: the front matter must be a mapping of fields (id, kind, title, sources).")
    unknown = sorted(set(meta) - FRONT_MATTER_FIELDS)
    if unknown:
        raise CorpusError(f"{name}: unknown front-matter field '{unknown[0]}'; allowed: {', '.join(sorted(FRONT_MATTER_FIELDS))}.")
    doc_id = str(meta.get("id") or "").strip()
    title = str(meta.get("title") or "").strip()
    kind = str(meta.get("kind") or "").strip()
    if not doc_id:
        raise CorpusError(f"{name}: the front matter has no 'id'; give one of the contract's ids.")
    if not title:
        raise CorpusError(f"{name}: the front matter has no 'title'; add the document's title.")
    if doc_id not in ELEMENTS:
        raise CorpusError(f"{name}: unknown id '{doc_id}'; use one of the contract's ids (A1-A4, P1-P8, E1-E2, report topics).")
    if kind not in KINDS:
        raise CorpusError(f"{name}: unknown kind '{kind}'; use one of {', '.join(KINDS)}.")
    if kind != ELEMENTS[doc_id][0]:
        raise CorpusError(f"{name}: id '{doc_id}' has kind '{ELEMENTS[doc_id][0]}' in the contract, not '{kind}'.")
    return Document(
        id=doc_id, kind=kind, title=title, path=name, pages=(Page(body.strip()),),
        sources=_str_list(meta.get("sources"), name, "sources"),
        aliases=_str_list(meta.get("aliases"), name, "aliases"),
        label=str(meta.get("label") or "").strip(),
        hash=content_hash(text),
    )


def _plain_document(text: str, path: Path, root: Path, markdown: bool) -> Document:
    doc_id = derived_id(path, root)
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or doc_id
    return Document(id=doc_id, kind="document", title=title, path=path.relative_to(root).as_posix(),
                    pages=(Page(text.strip()),), markdown=markdown, hash=content_hash(text))


def _str_list(value: object, name: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(f"{name}: '{key}' must be a list of strings.")
    return tuple(v.strip() for v in value if v.strip())


def read_text_file(path: Path, root: Path) -> str:
    """Read a text file as UTF-8, naming the file when it is not."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CorpusError(f"{path.relative_to(root).as_posix()}: not UTF-8 text; save it as UTF-8 and reindex.") from None


def load_file(path: Path, root: Path) -> Document:
    """Load one corpus file by its format."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return parse_markdown(read_text_file(path, root), path, root)
    if suffix == ".txt":
        return _plain_document(read_text_file(path, root), path, root, markdown=False)
    from .formats import load_other  # PDF, DOCX, HTML: optional parsers, imported on demand

    return load_other(path, root)


def corpus_files(root: Path) -> list[Path]:
    """Every file under the corpus folder that the assistant can read, sorted."""
    from .formats import SUPPORTED_SUFFIXES

    if not root.is_dir():
        raise CorpusError(f"No corpus folder at {root}: create it or set ASSISTANT_CORPUS_DIR.")
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.suffix.lower() in SUPPORTED_SUFFIXES)


def load_corpus(root: Path, *, skip_broken: bool = False) -> tuple[list[Document], list[str]]:
    """Load and validate every document; returns the documents and the problems skipped.

    With `skip_broken`, a file that cannot be read is reported and left out; otherwise the
    first problem raises `CorpusError`. Duplicate ids always raise: which one wins is unclear.
    """
    docs: list[Document] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in corpus_files(root):
        try:
            doc = load_file(path, root)
        except CorpusError as exc:
            if not skip_broken:
                raise
            problems.append(str(exc))
            continue
        if doc.id in seen:
            raise CorpusError(f"{doc.path}: id '{doc.id}' is already used by {seen[doc.id]}; ids must be unique.")
        seen[doc.id] = doc.path
        docs.append(doc)
    if not docs:
        raise CorpusError(f"The corpus folder {root} has no readable documents: add Markdown files.")
    return docs, problems
