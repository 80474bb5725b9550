"""The same code against a real Chroma server (`chroma run`) on loopback, chosen by settings."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from .conftest import CORPUS, copy_live_index
from .services import free_port, start_chroma


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    yield from start_chroma(tmp_path_factory.mktemp("chroma"))


def test_index_and_answer_through_a_chroma_server(chroma_url, tmp_path, settings, embedder, built_index):
    from assistant.index import IndexStore
    from assistant.indexing import reindex
    from assistant.service import Assistant

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    server_settings = replace(settings, data_dir=tmp_path / "data", corpus_dir=corpus, chroma_url=chroma_url)
    # The server starts with a copy of the session's index, so the reindex below embeds only the edited chunk;
    # it still reads the live version from the server and writes the whole new version to it.
    copy_live_index(settings, server_settings)
    page = corpus / "practices" / "P4-mapping-systems.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThe Chroma server test adds this sentence to P4.\n",
                    encoding="utf-8")
    report = reindex(server_settings, embedder=embedder)
    assert report is not None and report.documents == 26 and report.chunks > 100
    assert report.swapped and report.changed == ["P4"] and 0 < report.embedded < report.reused

    store = IndexStore(server_settings, embedder)
    assert "fastapi" in store.client.get_settings().chroma_api_impl.lower()  # the HTTP client, not embedded
    names = [c if isinstance(c, str) else c.name for c in store.client.list_collections()]
    assert report.version in names
    assert not (server_settings.data_dir / "chroma").exists()  # nothing embedded locally

    answer = Assistant(server_settings, embedder=embedder).ask("What does mapping systems involve?")
    assert not answer.refused and answer.cited_ids[0] == "P4"
    assert answer.index_version == report.version


def test_unreachable_chroma_server_is_a_clear_error(settings):
    from assistant.errors import AssistantError
    from assistant.index import make_client

    with pytest.raises(AssistantError, match="Could not reach the Chroma server"):
        make_client(replace(settings, chroma_url=f"http://127.0.0.1:{free_port()}"))


def test_bad_chroma_url_is_a_clear_error(settings):
    from assistant.errors import AssistantError
    from assistant.index import make_client

    with pytest.raises(AssistantError, match="is not a URL"):
        make_client(replace(settings, chroma_url="not a url"))
