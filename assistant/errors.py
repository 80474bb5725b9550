"""Errors written for the person at the screen: what happened and what to do."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: every message says what happened and what to do next."""


class CorpusError(AssistantError):
    """A corpus file is missing, malformed or conflicts with another."""


class IndexMissingError(AssistantError):
    """No index has been built yet in the data folder."""


class IndexBusyError(AssistantError):
    """Another reindex holds the lock on the data folder."""


class EvalFileError(AssistantError):
    """An evaluation file has a malformed case or field."""


class BackendError(AssistantError):
    """A language-model backend is misconfigured or unreachable."""
