"""The examples from the answers and scope issues get a direct answer with the right citation."""

from __future__ import annotations

import re

from assistant.answer import Answer


def first_sentence(answer: Answer) -> str:
    text = re.sub(r"\[[^\]]*\]", "", answer.text)
    return re.split(r"(?<=[.?!])\s|\n", text.strip(), maxsplit=1)[0]


def test_definition_leads_with_the_defining_sentence(assistant):
    a = assistant.ask("What does transparent mean in the principles?")
    assert "transparent" in first_sentence(a) and a.cited_ids[0] == "principles"


def test_date_question_leads_with_the_date(assistant):
    a = assistant.ask("When did the Nuffield Foundation roundtable take place?")
    assert "8 November 2023" in first_sentence(a) and "voice" in a.cited_ids


def test_ids_on_the_chips_are_answered(assistant):
    for question, doc_id in (("What is P5?", "P5"), ("tell me about A2", "A2"), ("tell me about E2", "E2")):
        a = assistant.ask(question)
        assert not a.refused and a.cited_ids[0] == doc_id, question


def test_ordinal_follow_up_answers_about_that_item(assistant):
    s = assistant.session()
    s.ask("List the four approaches")
    a = s.ask("what about the third?")
    assert a.cited_ids[0] == "A3" and "Making best use of available information" in first_sentence(a)


def test_comparison_gives_one_point_per_side(assistant):
    a = assistant.ask("How is Practice 6 different from Practice 7?")
    lines = a.text.splitlines()
    assert "[P6" in lines[0] and "[P7" in lines[1] and "P2" not in a.cited_ids


def test_no_borrowed_pronoun_from_another_document(assistant):
    a = assistant.ask("Who is Emma Smale?")
    assert "Emma Smale" in first_sentence(a)
    assert not any(l.startswith("- Her ") or l.startswith("- His ") for l in a.text.splitlines())


def test_short_labels_and_no_remarks_about_unreadable_sources(assistant):
    a = assistant.ask("Who funds the project?")
    assert "[Project overview]" in a.text and "Who runs the project, funding" not in a.text
    assert "first words survive" not in a.text and "could not be read" not in a.text


def test_everyday_words_the_framework_answers(assistant):
    a = assistant.ask("Who pays for the project?")
    assert not a.refused and "Nuffield" in first_sentence(a) and a.cited_ids[0] == "project"
    a = assistant.ask("How should parents' views be captured?")
    assert not a.refused and a.citations


def test_personal_details_are_neutral_for_scope(assistant):
    a = assistant.ask("How should parents' views be captured? call me on 07700 900123")
    assert not a.refused and a.personal_data and "07700" not in a.text


def test_social_work_topics_outside_the_material_are_declined_with_a_signpost(assistant):
    a = assistant.ask("What is the threshold for a section 47 enquiry?")
    assert a.refused and not a.citations and "safeguarding" in a.text
    assert "I can help with" in a.text and "Hampshire" in a.text


def test_small_talk_gets_a_friendly_reply_that_cites_nothing(assistant):
    a = assistant.ask("hi")
    assert a.refused and not a.citations and a.text.startswith("Hello")


def test_gap_is_said_once_at_the_end(assistant):
    a = assistant.ask("What is P5?")
    lines = a.text.splitlines()
    gaps = [l for l in lines if "published material" in l and "does not" in l or "call for evidence" in l]
    assert len(lines) <= 5 and lines[-1] in gaps and not lines[-1].startswith("- ")
