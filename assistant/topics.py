"""The scope file (corpus/scope.yaml): topics the material does not cover, their trigger terms and signposts."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import CorpusError
from .text import terms

SCOPE_FILE = "scope.yaml"  # in the corpus folder; never indexed as a document
FIELDS = ("topic", "terms", "signpost")
# Collection metadata keys: the version's scope file, and the topics no chunk of that version covers.
META_SCOPE = "scope"
META_UNCOVERED = "scope_uncovered"
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def _term_pattern(term: str, whole: bool = False) -> str:
    """A term as a regex: any run of spaces or hyphens between its words; `whole` adds the word edges and a plural 's'."""
    parts = [re.escape(p).replace("'", "['’]") for p in re.split(r"[\s\-]+", term.strip()) if p]
    body = r"[\s\-]+".join(parts)
    return r"(?<!\w)" + body + r"(?:['’]?s)?(?!\w)" if whole else body


def _words(text: str) -> frozenset[str]:
    """A text's lower-case words, each also without a trailing 's' (plurals)."""
    found = re.findall(r"\w+", text.lower())
    return frozenset(found) | frozenset(w[:-1] for w in found if w.endswith("s"))


# A question opening like this asks for the thing named right after it: "What lawful basis ...?", "Summarise the
# Mental Capacity Act ..." (question grammar, not topic words: the topics are in the scope file).
_FRONTED = re.compile(r"^\W*(?:in|on|within|using|for|under|with)\s+([^,?.;:]{1,40}),\s*", re.I)
_HEAD = re.compile(r"^\W*(?:(?:and|so|but|ok|okay|also)\W+)*(?:what(?:'s|’s|s| is| are)?|which|how (?:much|many|long|often)"
                   r"|summari[sz]e|explain|describe|tell me about|give me)(?!\w)", re.I)
# What may come before a request's own first word: "please draft me ...", "can you draft ..."
_REQUEST = re.compile(r"\W*(?:(?:please|pls|can you|could you|would you|can u|could u)\s+)*", re.I)
# Words between that opening and the term: "What's the maximum caseload ...?", "whats hampshire's number for the
# children's front door?". On the eighteen tuning sets a reach of up to six matches only out-of-scope messages (120 of
# 120, none of some 1,400 in-scope ones); five keeps a margin.
HEAD_REACH = 5


@dataclass(frozen=True)
class ScopeTopic:
    """One topic the material does not cover.

    >>> ScopeTopic("Statutory child protection procedures", ("section 47", "s47"), "Ask your manager.", 1).matches("Is s47 due?")
    True
    """

    topic: str
    terms: tuple[str, ...]
    signpost: str
    line: int = 0

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + "|".join(_term_pattern(t) for t in self.terms) + r")(?:['’]?s)?(?!\w)",
                          re.IGNORECASE)

    @cached_property
    def _request_terms(self) -> tuple[str, ...]:
        """The terms of two words or more written all in lower case: "draft me", "write me a"."""
        return tuple(t for t in self.terms if t == t.lower() and len(t.split()) >= 2)

    @cached_property
    def _first_words(self) -> frozenset[str]:
        """Each term's first word: a text without any of them cannot match, and most texts have none."""
        firsts = [re.findall(r"\w+", t.lower())[:1] for t in self.terms]
        return frozenset() if not all(firsts) else frozenset(f[0] for f in firsts)

    def matches(self, text: str, words: frozenset[str] | None = None) -> bool:
        """True when the text uses one of the terms (case-insensitive, whole words); `words` is `_words(text)`."""
        if self._first_words and self._first_words.isdisjoint(_words(text) if words is None else words):
            return False
        return self._regex.search(text) is not None

    def named_by(self, subject: Iterable[str]) -> bool:
        """One of the topic's terms is what a definition question asks about: all of its stemmed terms are in
        `subject` (the reader's stemmed subject: "what's the leaving care grant ...?" gives leav, care, grant).

        >>> ScopeTopic("Care leavers", ("leaving care grant",), "Ask.", 1).named_by(("leav", "care", "grant"))
        True
        """
        wanted = set(subject)
        return any(stems and set(stems) <= wanted for stems in self.term_stems)

    @cached_property
    def term_stems(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(terms(t)) for t in self.terms)

    def without(self, text: str) -> str:
        """The text with the topic's terms taken out: what else it asks.

        >>> ScopeTopic("Inspections", ("Ofsted",), "Ask QA.", 1).without("When is Ofsted due?")
        'When is due?'
        """
        return re.sub(r"\s+", " ", self._regex.sub(" ", text)).strip()

    def heads(self, text: str) -> bool:
        """The text asks for the topic itself: one of its terms comes within HEAD_REACH words of the opening asking
        word, not further on in what the text asks about.

        >>> ScopeTopic("Workforce", ("caseload",), "Ask HR.", 1).heads("What's the maximum caseload a PA should carry?")
        True
        >>> ScopeTopic("Workforce", ("caseload",), "Ask HR.", 1).heads("did any of the sites watch PAs with a caseload?")
        False
        >>> ScopeTopic("Systems", ("Mosaic",), "Ask IT.", 1).heads("In Mosaic, which form do I record voice on?")
        True
        """
        # "Draft me a data sharing agreement ...": a message opening with a phrase of the topic's in lower-case words (a
        # request, not a name such as "Ofsted said ...") asks for it
        start = _REQUEST.match(text).end()
        if any(re.match(_term_pattern(t, whole=True), text[start:], re.IGNORECASE) for t in self._request_terms):
            return True
        # "In Mosaic, which form do I record the child's voice on?": a phrase put before the asking word says where
        fronted = _FRONTED.match(text)
        if fronted and _HEAD.match(text[fronted.end():]) and self._regex.search(fronted.group(1)):
            return True
        opening = _HEAD.search(text)
        if opening is None:
            return False
        term = self._regex.search(text, opening.end())
        # A name of several capitalised words is one word: "What are the Families First Partnership Programme funding
        # allocations ...?" asks for the allocations.
        between = re.sub(r"\b[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)+", "N", text[opening.end():term.start()]) if term else ""
        return term is not None and len(re.findall(r"\w+", between)) <= HEAD_REACH

    def terms_in(self, text: str) -> list[str]:
        """The terms the text uses, in the file's order."""
        return [t for t in self.terms if re.search(_term_pattern(t, whole=True), text, re.IGNORECASE)]


@dataclass(frozen=True)
class ScopeFile:
    """The scope file's topics, in file order.

    >>> scope = ScopeFile.load(Path("corpus/scope.yaml"))
    >>> scope.match("What is the threshold for a section 47 enquiry?").signpost
    "Follow your local safeguarding children partnership's procedures, or ask your manager."
    """

    topics: tuple[ScopeTopic, ...] = field(default=())

    @classmethod
    def load(cls, path: Path) -> "ScopeFile":
        """Read and check a scope file; a missing file is an empty scope."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except UnicodeDecodeError:
            raise CorpusError(f"{_shown(path)}: not UTF-8 text; save it as UTF-8 and run `assistant index` again.") from None
        return cls.parse(text, _shown(path))

    @classmethod
    def parse(cls, text: str, name: str = SCOPE_FILE) -> "ScopeFile":
        """Parse scope-file text; errors name the file, the line and the field."""
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or exc.__class__.__name__
            raise CorpusError(f"{name}{where}: not valid YAML ({problem}); check the indentation, "
                              "and quote text that contains ': ' or starts with a quote.") from None
        if root is None:
            return cls()
        if not isinstance(root, yaml.SequenceNode):
            raise CorpusError(f"{name} line {_line(root)}: the file must be a list of topics, each starting "
                              "with '- topic:'.")
        topics: list[ScopeTopic] = []
        seen: dict[str, int] = {}
        for node in root.value:
            topic = _topic(node, name)
            key = topic.topic.casefold()
            if key in seen:
                raise CorpusError(f"{name} line {topic.line}: topic '{topic.topic}' is already listed at line "
                                  f"{seen[key]}; merge the two.")
            seen[key] = topic.line
            topics.append(topic)
        return cls(tuple(topics))

    @classmethod
    def from_json(cls, text: str) -> "ScopeFile":
        """The inverse of `to_json`; empty text is an empty scope."""
        if not text:
            return cls()
        return cls(tuple(ScopeTopic(t["topic"], tuple(t["terms"]), t["signpost"], int(t.get("line", 0)))
                         for t in json.loads(text)))

    def to_json(self) -> str:
        """The topics as compact JSON (stored with an index version)."""
        return json.dumps([{"topic": t.topic, "terms": list(t.terms), "signpost": t.signpost, "line": t.line}
                           for t in self.topics], ensure_ascii=False, separators=(",", ":"))

    def signature(self) -> str:
        """What the topics say, without line numbers: a comment added to the file changes nothing."""
        return json.dumps([[t.topic, list(t.terms), t.signpost] for t in self.topics], ensure_ascii=False)

    def uncovered(self, texts: Iterable[str]) -> "ScopeFile":
        """The topics no text uses a term of: an indexed document that uses a term answers its topic."""
        left = list(self.topics)
        for text in texts:
            words = _words(text)
            left = [t for t in left if not t.matches(text, words)]
            if not left:
                break
        return ScopeFile(tuple(left))

    def match(self, question: str) -> ScopeTopic | None:
        """The first topic whose terms the question uses, or None."""
        words = _words(question)
        return next((t for t in self.topics if t.matches(question, words)), None)

    def matching(self, question: str) -> list[ScopeTopic]:
        """Every topic whose terms the question uses, in file order."""
        words = _words(question)  # once, not once per topic
        return [t for t in self.topics if t.matches(question, words)]

    def names(self) -> list[str]:
        """The topic names in file order."""
        return [t.topic for t in self.topics]

    def only(self, names: Iterable[str]) -> "ScopeFile":
        """The topics with these names, in file order."""
        wanted = set(names)
        return ScopeFile(tuple(t for t in self.topics if t.topic in wanted))

    def __len__(self) -> int:
        return len(self.topics)


def _shown(path: Path) -> str:
    """The path as the person at the screen knows it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _topic(node: yaml.Node, name: str) -> ScopeTopic:
    """One '- topic:' entry, checked field by field."""
    if not isinstance(node, yaml.MappingNode):
        raise CorpusError(f"{name} line {_line(node)}: each entry must have the fields {', '.join(FIELDS)} "
                          "(start it with '- topic:').")
    values: dict[str, yaml.Node] = {}
    for key, value in node.value:
        field_name = key.value if isinstance(key, yaml.ScalarNode) else "?"
        if field_name not in FIELDS:
            raise CorpusError(f"{name} line {_line(key)}: unknown field '{field_name}'; allowed: {', '.join(FIELDS)}.")
        if field_name in values:
            raise CorpusError(f"{name} line {_line(key)}: field '{field_name}' is given twice in one topic.")
        values[field_name] = value
    for required in FIELDS:
        if required not in values:
            raise CorpusError(f"{name} line {_line(node)}: the topic has no '{required}' field; add one "
                              f"({_HINTS[required]}).")
    topic = _text(values["topic"], "topic", name)
    signpost = _text(values["signpost"], "signpost", name)
    terms_node = values["terms"]
    if isinstance(terms_node, yaml.ScalarNode):
        items = [terms_node] if terms_node.value.strip() else []
    elif isinstance(terms_node, yaml.SequenceNode):
        items = terms_node.value
    else:
        raise CorpusError(f"{name} line {_line(terms_node)}: 'terms' must be a list like [section 47, s47].")
    terms = [_text(item, "terms", name) for item in items]
    for item, term in zip(items, terms):
        if not re.search(r"\w", term):
            raise CorpusError(f"{name} line {_line(item)}: the term '{term}' has no letters or digits; remove it.")
    if not terms:
        raise CorpusError(f"{name} line {_line(terms_node)}: 'terms' is empty; list at least one word or phrase "
                          "that marks a question as being about this topic.")
    return ScopeTopic(topic=topic, terms=tuple(dict.fromkeys(terms)), signpost=signpost, line=_line(node))


_HINTS = {"topic": "the name shown in a refusal", "terms": "a list like [section 47, s47]",
          "signpost": "one sentence saying where to go instead"}


def _text(node: yaml.Node, field_name: str, name: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise CorpusError(f"{name} line {_line(node)}: '{field_name}' must be text, not a "
                          f"{'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}.")
    value = " ".join(str(node.value).split())
    if not value:
        raise CorpusError(f"{name} line {_line(node)}: '{field_name}' is empty; {_HINTS[field_name]} is needed.")
    return value


# -- what an index version holds -----------------------------------------------------------
def chunk_texts(chunks: Iterable[Any]) -> Iterable[str]:
    """What counts as indexed text for the scope rule: each chunk's title, heading, text and aliases."""
    for chunk in chunks:
        yield chunk.embed_text + "\n" + "\n".join(chunk.aliases)


def scope_metadata(scope: ScopeFile, chunks: Iterable[Any]) -> dict[str, str]:
    """Collection metadata recording a version's scope file and the topics its chunks leave uncovered."""
    return {META_SCOPE: scope.to_json(), META_UNCOVERED: json.dumps(scope.uncovered(chunk_texts(chunks)).names())}


def scope_of(metadata: dict[str, Any] | None) -> tuple[ScopeFile, ScopeFile] | None:
    """A version's scope file and its uncovered topics, from collection metadata; None if it recorded none."""
    if not metadata or META_SCOPE not in metadata:
        return None
    scope = ScopeFile.from_json(str(metadata[META_SCOPE]))
    return scope, scope.only(json.loads(str(metadata.get(META_UNCOVERED) or "[]")))


@dataclass(frozen=True)
class ScopeChange:
    """What a reindex did to the scope: topics brought into scope, taken out again, still out."""

    came_in: tuple[str, ...] = ()
    went_out: tuple[str, ...] = ()
    out: tuple[str, ...] = ()
    evidence: dict[str, str] = field(default_factory=dict)  # topic -> the terms used and where

    def lines(self) -> list[str]:
        """Lines for `assistant index` and the admin tab; none when there is no scope file."""
        lines = [f"Now in scope: {t} ({self.evidence[t]})" if t in self.evidence else f"Now in scope: {t}"
                 for t in self.came_in]
        lines += [f"Out of scope again (no indexed document uses its terms now): {t}" for t in self.went_out]
        if self.came_in or self.went_out or self.out:
            lines.append(f"Out of scope ({SCOPE_FILE}): {', '.join(self.out) if self.out else 'none'}")
        return lines


def scope_change(scope: ScopeFile, chunks: list[Any], previous: tuple[ScopeFile, ScopeFile] | None) -> ScopeChange:
    """Compare the new version's uncovered topics with the previous live version's.

    Before any recorded scope, every topic counts as out of scope, so the first index says which topics
    the corpus already covers.
    """
    out = scope.uncovered(chunk_texts(chunks))
    was_out = set(previous[1].names()) if previous else set(scope.names())
    was_known = set(previous[0].names()) if previous else set(scope.names())
    now_out = set(out.names())
    came_in = [t for t in scope.topics if t.topic not in now_out and (t.topic in was_out or t.topic not in was_known)]
    went_out = [n for n in out.names() if n in was_known and n not in was_out]
    evidence = {t.topic: _evidence(t, chunks) for t in came_in}
    return ScopeChange(tuple(t.topic for t in came_in), tuple(went_out), tuple(out.names()), evidence)


def _evidence(topic: ScopeTopic, chunks: list[Any]) -> str:
    """Which of the topic's terms the chunks use, and in which documents."""
    used: dict[str, list[str]] = {}
    for chunk, text in zip(chunks, chunk_texts(chunks)):
        found = used.setdefault(chunk.doc_id, [])
        found += [t for t in topic.terms_in(text) if t not in found]
    return "; ".join(", ".join(f"'{t}'" for t in found) + f" in {doc_id}" for doc_id, found in used.items() if found)


# -- what the assistant can help with -------------------------------------------------------
def help_topics(snapshot_like: Any) -> list[str]:
    """What the live index can help with, from its documents' kinds, labels and titles."""
    chunks = getattr(snapshot_like, "chunks", snapshot_like)
    docs: dict[str, Any] = {}
    for chunk in chunks:
        docs.setdefault(chunk.doc_id, chunk)
    by_kind: dict[str, list[Any]] = {}
    for doc_id in sorted(docs, key=_id_order):
        by_kind.setdefault(docs[doc_id].kind, []).append(docs[doc_id])
    out: list[str] = []
    layers = [_count(len(by_kind[k]), *_LAYER_WORDS[k]) for k in _LAYER_WORDS if by_kind.get(k)]
    if layers:
        out.append("the " + _join(layers))
    out += [f"the {_label(c)}" if _label(c) else "the Framework as a whole" for c in by_kind.get("framework", [])]
    reports = by_kind.get("report", [])
    sites = [c for c in reports if c.doc_id.startswith("site-")]
    if sites:
        out.append(f"the partner sites' projects ({_join(_site_names(sites))})")
    others = [_short(c) for c in reports if c not in sites]
    if others:
        out.append("the project report: " + _join(others))
    out += [c.title for k, group in by_kind.items() if k not in _LAYER_WORDS and k not in ("framework", "report")
            for c in group]
    return out


# How the contract's layers are named in prose; counts and names come from the index.
_LAYER_WORDS = {"approach": ("Approach", "Approaches"), "practice": ("Practice", "Practices"),
                "enabler": ("System Enabler set", "System Enabler sets")}


def _count(n: int, singular: str, plural: str) -> str:
    word = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"{word} {singular if n == 1 else plural}"


def _label(chunk: Any) -> str:
    """The front matter's short label; chunks indexed before labels existed have none."""
    return str(getattr(chunk, "label", "") or "")


def _site_names(sites: list[Any]) -> list[str]:
    """Each site's label, else its title without what all site titles share ("'s information use project")."""
    titles = [c.title for c in sites]
    common = os.path.commonprefix([t[::-1] for t in titles])[::-1] if len(titles) > 1 else ""
    return [_label(c) or (c.title[:len(c.title) - len(common)].strip() if common != c.title else c.title)
            for c in sites]


def _short(chunk: Any) -> str:
    return _label(chunk) or chunk.title


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _id_order(doc_id: str) -> tuple[str, int, str]:
    """A1 < A2 < ... < A10; other ids alphabetically."""
    match = re.fullmatch(r"([A-Z])(\d+)", doc_id)
    return (match.group(1), int(match.group(2)), "") if match else ("~", 0, doc_id)
