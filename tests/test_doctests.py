"""The examples in the docstrings of the question-reading and scope modules run as tests, on the real index."""

from __future__ import annotations

import doctest
import importlib

import pytest

# Modules whose docstring examples are runnable as written (others show usage with names defined elsewhere).
MODULES = ("allowlist", "elements", "guard", "scope", "text", "topics", "understand")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(assistant, name):
    module = importlib.import_module(f"assistant.{name}")
    result = doctest.testmod(module, extraglobs={"snapshot": assistant.snapshot()}, report=True,
                             optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"assistant.{name} has no examples"
    assert result.failed == 0, f"{result.failed} of the examples in assistant.{name} failed (see the output above)"
