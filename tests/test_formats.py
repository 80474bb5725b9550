"""Documents without front matter: PDF, DOCX, HTML and text, read, chunked, indexed and cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chunking import Chunker
from assistant.cli import main
from assistant.corpus import load_corpus, load_file
from assistant.index import IndexStore
from assistant.indexing import reindex
from assistant.service import Assistant

REPORT_ID = "doc:reports/full-report.pdf"
PAGE_ONE = [
    "Children's Information Project: full report.",
    "This report sets out how the partner local authorities used information about children.",
]
PAGE_TWO = [
    "Annex B: the Learning Network survey.",
    "In the autumn survey, 31 of the 40 responding councils had started mapping their case recording fields.",
    "Most councils said the mapping took longer than a term.",
]


def write_pdf(path: Path, pages: list[list[str]], password: str | None = None) -> Path:
    """A real PDF with one text line per sentence, one page per list."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=password)
    for lines in pages:
        for i, line in enumerate(lines):
            pdf.drawString(56, 780 - 18 * i, line)
        pdf.showPage()
    pdf.save()
    return path


def test_pdf_pages_keep_their_numbers_in_chunks(tmp_path):
    write_pdf(tmp_path / "reports" / "full-report.pdf", [PAGE_ONE, PAGE_TWO])
    doc = load_file(tmp_path / "reports" / "full-report.pdf", tmp_path)
    assert doc.id == REPORT_ID and doc.kind == "document" and doc.title == "Full report"
    assert [p.number for p in doc.pages] == [1, 2]
    chunks = Chunker().split(doc)
    assert {c.page for c in chunks} == {1, 2}
    assert all(c.page == 2 for c in chunks if "31 of the 40" in c.text)


def test_docx_keeps_headings_and_tables(tmp_path):
    import docx

    word = docx.Document()
    word.add_heading("Recording voice", level=1)
    word.add_paragraph("Practitioners write down what the child said in the child's own words.")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Site", "Focus"
    table.cell(1, 0).text, table.cell(1, 1).text = "Rochdale", "Early help records"
    word.add_heading("Checking quality", level=2)
    word.add_paragraph("Managers sample ten case notes a month.")
    word.save(tmp_path / "guide.docx")

    chunks = Chunker().split(load_file(tmp_path / "guide.docx", tmp_path))
    by_heading = {c.heading: c.text for c in chunks}
    assert "child's own words" in by_heading["Recording voice"]
    assert "Rochdale | Early help records" in by_heading["Recording voice"]
    assert "ten case notes" in by_heading["Recording voice > Checking quality"]
    assert all(c.doc_id == "doc:guide.docx" for c in chunks)


def test_html_keeps_headings_uses_the_page_title_and_drops_scripts(tmp_path):
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "page.html").write_text(
        "<html><head><title>Voice in records</title><style>p{color:red}</style></head><body>"
        "<nav>Home | About</nav><h1>Voice</h1><p>Children's words are quoted &amp; dated.</p>"
        "<h2>Why</h2><p>Quotes keep the child's meaning.</p><script>alert(1)</script>"
        "<table><tr><td>Oldham</td><td>early language</td></tr></table></body></html>", encoding="utf-8")
    doc = load_file(tmp_path / "web" / "page.html", tmp_path)
    assert doc.id == "doc:web/page.html" and doc.title == "Voice in records"
    chunks = Chunker().split(doc)
    assert [c.heading for c in chunks] == ["Voice", "Voice > Why"]
    assert "quoted & dated" in chunks[0].text and "Oldham | early language" in chunks[1].text
    assert not any(bad in doc.text for bad in ("alert", "color", "Home | About"))


def test_text_and_markdown_without_front_matter_get_ids_from_their_path(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "meeting-notes.txt").write_text("The group met in May.", encoding="utf-8")
    (tmp_path / "notes" / "plan.md").write_text("## Plan\n\nStart with the records.", encoding="utf-8")
    docs, problems = load_corpus(tmp_path, skip_broken=True)
    assert problems == []
    assert {(d.id, d.title) for d in docs} == {("doc:notes/meeting-notes.txt", "Meeting notes"),
                                               ("doc:notes/plan.md", "Plan")}


def write_broken(kind: str, folder: Path) -> tuple[str, str]:
    """One unreadable file of a kind; returns its name and the reason the report must give."""
    if kind == "corrupt":
        good = write_pdf(folder / "tmp.pdf", [PAGE_ONE, PAGE_TWO]).read_bytes()
        (folder / "tmp.pdf").unlink()
        (folder / "corrupt.pdf").write_bytes(good[: len(good) // 2])
        return "corrupt.pdf", "not a readable PDF"
    if kind == "scanned":
        from reportlab.pdfgen import canvas

        pdf = canvas.Canvas(str(folder / "scanned.pdf"))
        pdf.rect(100, 100, 300, 400, fill=1)  # a picture of a page, no text layer
        pdf.showPage()
        pdf.save()
        return "scanned.pdf", "no text could be extracted"
    if kind == "password":
        write_pdf(folder / "locked.pdf", [PAGE_ONE], password="secret")
        return "locked.pdf", "password-protected"
    if kind == "encoding":
        (folder / "latin.txt").write_bytes("Caf\xe9 notes on r\xe9sum\xe9s.".encode("latin-1"))
        return "latin.txt", "not UTF-8"
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a word file")
    return "broken.docx", "not a readable DOCX"


@pytest.mark.parametrize("kind", ["corrupt", "scanned", "password", "encoding", "docx"])
def test_unreadable_file_is_reported_by_name_and_the_rest_is_loaded(tmp_path, kind):
    (tmp_path / "ok.txt").write_text("A readable note about information use.", encoding="utf-8")
    name, reason = write_broken(kind, tmp_path)
    docs, problems = load_corpus(tmp_path, skip_broken=True)
    assert [d.id for d in docs] == ["doc:ok.txt"]
    assert len(problems) == 1 and problems[0].startswith(f"{name}: ") and reason in problems[0]


def test_pdf_is_indexed_and_an_answer_cites_its_page(corpus_copy, embedder):
    write_pdf(corpus_copy.corpus_dir / "reports" / "full-report.pdf", [PAGE_ONE, PAGE_TWO])
    report = reindex(corpus_copy, embedder=embedder)
    assert report.added == [REPORT_ID] and report.changed == report.removed == [] and not report.problems

    answer = Assistant(corpus_copy, embedder=embedder).ask(
        "How many councils in the Learning Network survey had started mapping their case recording fields?")
    cited = [c for c in answer.citations if c.id == REPORT_ID]
    assert cited, answer.text
    assert cited[0].page == 2 and cited[0].label == "[doc:reports/full-report.pdf Full report, p. 2]"
    assert "31 of the 40" in answer.text and "p. 2]" in answer.text


def test_corrupt_pdf_is_reported_the_rest_indexed_and_the_exit_code_is_not_zero(corpus_copy, embedder, capsys):
    reports = corpus_copy.corpus_dir / "reports"
    reports.mkdir()
    (reports / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    (reports / "note.txt").write_text("The board reviews the information map every spring.", encoding="utf-8")
    before = IndexStore(corpus_copy).live_version()

    code = main(["--data-dir", str(corpus_copy.data_dir), "--corpus-dir", str(corpus_copy.corpus_dir),
                 "index", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "error: reports/broken.pdf: not a readable PDF" in err
    assert "added: doc:reports/note.txt" in out
    live = IndexStore(corpus_copy).live_version()
    assert live.name != before.name and live.documents == before.documents + 1
    assert "doc:reports/note.txt" in live.doc_hashes and "doc:reports/broken.pdf" not in live.doc_hashes
    assert set(before.doc_hashes) < set(live.doc_hashes)
