"""The admin tab, driven through gradio_client against a real server, real model and real Chroma."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from assistant.admin import SMOKE_RESULT, password_ok, save_upload
from assistant.errors import AssistantError
from assistant.index import IndexStore
from assistant.service import Assistant
from assistant.ui import build_app

from .test_formats import PAGE_ONE, PAGE_TWO, write_pdf
from .test_ui import browser, chat_page  # noqa: F401 - `browser` is a fixture

PASSWORD = "correct horse battery staple"
WRONG = "Wrong password"


def admin_settings(settings):
    return replace(settings, admin_password=PASSWORD)


def test_admin_tab_is_absent_without_the_password_setting(assistant, settings):
    assert settings.admin_password is None
    app = build_app(assistant, settings)
    assert "admin-tab" not in {getattr(block, "elem_id", None) for block in app.blocks.values()}
    with chat_page(assistant, settings) as url:
        endpoints = Client(url, verbose=False).view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert "/ask" in endpoints and not [name for name in endpoints if name.startswith("/admin")]


def test_admin_tab_refuses_a_wrong_password(corpus_copy, embedder, tmp_path):
    settings = admin_settings(corpus_copy)
    assistant = Assistant(settings, embedder=embedder)
    manifest = settings.manifest_path.read_bytes()
    upload = write_pdf(tmp_path / "report.pdf", [PAGE_ONE])
    with chat_page(assistant, settings) as url:
        client = Client(url, verbose=False)
        # Every refusal pauses a second; the five endpoints are asked at once, so their pauses overlap.
        logins = [client.submit(wrong, api_name="/admin_login") for wrong in ("", "correct horse", PASSWORD.upper())]
        upload_job = client.submit("nope", [handle_file(str(upload))], api_name="/admin_upload")
        reindex_job = client.submit("nope", False, True, api_name="/admin_reindex")
        smoke_job = client.submit("nope", api_name="/admin_smoke")
        refresh_job = client.submit("nope", api_name="/admin_refresh")
        for job in logins:
            message, status, corpus = job.result(timeout=60)
            assert WRONG in message and "Live version" not in str(status) and "P3" not in str(corpus)
        assert WRONG in upload_job.result(timeout=60)[0]
        assert WRONG in reindex_job.result(timeout=60)[0]
        assert WRONG in smoke_job.result(timeout=60)
        assert WRONG in refresh_job.result(timeout=60)[0]

        message, status, corpus = client.predict(PASSWORD, api_name="/admin_login")
        assert message == "Signed in." and "Live version" in status
        assert ["P3", "Mapping information", "practices/P3-mapping-information.md"] == corpus["data"][
            [row[0] for row in corpus["data"]].index("P3")][:3]
    assert not (settings.corpus_dir / "uploads").exists()
    assert settings.manifest_path.read_bytes() == manifest
    assert not (settings.data_dir / SMOKE_RESULT).exists()


def test_password_check_needs_a_configured_password(settings):
    assert not password_ok("", settings) and not password_ok("anything", settings)
    assert password_ok(PASSWORD, admin_settings(settings)) and not password_ok(PASSWORD[:-1], admin_settings(settings))


def test_upload_is_sanitised_and_refuses_other_formats_and_big_files(tmp_path, settings):
    own = replace(settings, corpus_dir=tmp_path / "corpus")
    source = tmp_path / "incoming.bin"
    source.write_bytes(b"%PDF-1.4 pretend")
    saved = save_upload(source, "../../etc/Full Report (final).PDF", own)
    assert saved == own.corpus_dir / "uploads" / "Full-Report-final.pdf" and saved.read_bytes() == b"%PDF-1.4 pretend"
    assert [p.name for p in saved.parent.iterdir()] == ["Full-Report-final.pdf"], "no partial file left behind"
    with pytest.raises(AssistantError, match="cannot read '.exe' files"):
        save_upload(source, "tool.exe", own)
    with pytest.raises(AssistantError, match="over the 0 MB limit"):
        save_upload(source, "big.pdf", own, max_bytes=10)
    assert not (own.corpus_dir / "uploads" / "big.pdf").exists()


def reindex_through_the_page(client: Client) -> tuple[list[tuple], tuple]:
    """Press Reindex (smoke eval afterwards); returns every update the page showed and the last one."""
    job = client.submit(PASSWORD, False, True, api_name="/admin_reindex")
    final = job.result(timeout=600)
    return job.outputs(), final


def test_upload_reindex_with_progress_then_smoke_eval_flags_new_failures(corpus_copy, embedder, tmp_path):
    settings = admin_settings(corpus_copy)
    assistant = Assistant(settings, embedder=embedder)
    before = IndexStore(settings).live_version().name
    report_pdf = write_pdf(tmp_path / "Full Report (final).pdf", [PAGE_ONE, PAGE_TWO])
    with chat_page(assistant, settings) as url:
        client = Client(url, verbose=False)
        message, corpus = client.predict(PASSWORD, [handle_file(str(report_pdf))], api_name="/admin_upload")
        assert "Saved `uploads/Full-Report-final.pdf`" in message
        row = next(r for r in corpus["data"] if r[2] == "uploads/Full-Report-final.pdf")
        assert row[0] == "doc:uploads/Full-Report-final.pdf" and row[4].startswith("new") and row[3]

        updates, (progress, status, corpus, smoke) = reindex_through_the_page(client)
        shown = [u[0] for u in updates[:-1]]
        assert any("%" in s for s in shown), "progress was shown while it ran"
        assert "**Done.**" in progress and "Added: `doc:uploads/Full-Report-final.pdf`" in progress
        live = IndexStore(settings).live_version()
        assert live.name != before and f"`{live.name}`" in status and f"`{before}`" in status
        assert {r[4] for r in corpus["data"]} == {"indexed"}
        saved = json.loads((settings.data_dir / SMOKE_RESULT).read_text(encoding="utf-8"))
        passed = sum(case["passed"] for case in saved["cases"])
        assert f"Smoke eval: {passed} of 10 cases passed ({passed / 10:.0%})" in smoke
        assert "No earlier smoke result" in smoke
        assert {"id": "smoke-a1-hearing-voices", "passed": True}.items() <= next(
            c for c in saved["cases"] if c["id"] == "smoke-a1-hearing-voices").items()

        answer = assistant.ask("How many councils in the Learning Network survey had started mapping "
                               "their case recording fields?")
        assert any(c.id == "doc:uploads/Full-Report-final.pdf" and c.page == 2 for c in answer.citations)

        (settings.corpus_dir / "approaches" / "A1-integrating-voice.md").unlink()
        _, refreshed = client.predict(PASSWORD, api_name="/admin_refresh")
        assert ["A1", "", "", "", "file removed: the next reindex drops it"] in refreshed["data"]
        _, (progress, _, _, smoke) = reindex_through_the_page(client)
        assert "Removed: `A1`" in progress
        assert "Passed before, fail now" in smoke and "`smoke-a1-hearing-voices`" in smoke
        assert "No case that passed" not in smoke


def test_reindex_from_the_page_while_another_runs_says_so_and_changes_nothing(corpus_copy, embedder):
    settings = admin_settings(corpus_copy)
    manifest = settings.manifest_path.read_bytes()
    with chat_page(Assistant(settings, embedder=embedder), settings) as url:
        client = Client(url, verbose=False)
        with IndexStore(settings).lock():  # what `assistant index` in another terminal holds
            progress, *_ = client.predict(PASSWORD, False, True, api_name="/admin_reindex")
    assert "The reindex did not run" in progress and "Another reindex is running" in progress
    assert settings.manifest_path.read_bytes() == manifest


def test_browser_admin_tab_signs_in_and_lists_the_corpus(browser, corpus_copy, embedder):  # noqa: F811
    settings = admin_settings(corpus_copy)
    with chat_page(Assistant(settings, embedder=embedder), settings) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_role("tab", name="Admin").click()
        box = page.get_by_label("Admin password")
        box.fill("guess")
        page.locator("#admin-sign-in").click()
        page.wait_for_selector(f"#admin-login-status :text('{WRONG}')", timeout=20_000)
        assert not page.locator("#admin-panel").is_visible()
        box.fill(PASSWORD)
        page.locator("#admin-sign-in").click()
        page.wait_for_selector("#admin-corpus :text('practices/P3-mapping-information.md')", timeout=20_000)
        assert "Live version" in page.inner_text("#admin-status")
        Path(__file__).resolve().parent.joinpath("artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(Path(__file__).resolve().parent / "artifacts" / "admin.png"), full_page=True)
        page.close()
