"""A long message to Peri on the web (`/peri/ask`): read whole up to `MAX_QUESTION_CHARS` (the old handler cut at
1,000 characters and said nothing); past it cut at a sentence (else word) end, the page saying plainly how much
was read and what was left out, with the part left out put back in the box. Empty or hidden-character questions
are refused naming the field."""
from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

from peri.web.forms import MAX_QUESTION_CHARS, question_form
from test_web import alert, app, client, csrf_of  # noqa: F401  (fixtures)

# 49 characters and a space: 50 a sentence, so 80 of them are exactly 4,000 characters
SENTENCE = "Should I fine-tune a model on my own log, or not? "


def ask(client: TestClient, question: str):
    token = csrf_of(client.get("/peri").text)
    return client.post("/peri/ask", data={"csrf": token, "question": question, "model_box": "1"})


def asked(page: str) -> str:
    return html.unescape(page.rsplit('<div class="q">you: ', 1)[1].split("</div>")[0])


def box(page: str) -> str:
    return html.unescape(page.split('id="question"')[1].split(">", 1)[1].split("</textarea>")[0])


def test_a_message_past_1000_characters_is_read_whole(client: TestClient) -> None:
    assert len(SENTENCE) == 50 and MAX_QUESTION_CHARS == 4000
    text = (SENTENCE * 60).strip()  # 2,999 characters: the old handler read 1,000 of them
    r = ask(client, text)
    assert r.status_code == 200, alert(r.text)
    assert asked(r.text) == text
    assert "left-out" not in r.text and box(r.text) == ""


def test_a_message_past_the_limit_is_cut_at_a_sentence_end_and_the_page_says_so(client: TestClient) -> None:
    text = (SENTENCE * 150).strip()  # 7,499 characters
    r = ask(client, text)
    assert r.status_code == 200, alert(r.text)
    read = asked(r.text)
    assert read == (SENTENCE * 80).strip() and len(read) == 3999  # 80 whole sentences, the last one's space dropped
    said = " ".join(html.unescape(r.text.split('class="warn left-out"')[1].split("</p>")[0]).split())
    assert ("Your message was 7,499 characters; Peri reads at most 4,000 at a time, so it read the first 3,999 and "
            "left out the last 3,499, from \u201cShould I fine-tune a model on my own log, or not? Should I f…\u201d") in said
    assert box(r.text) == (SENTENCE * 70).strip()  # nothing lost: the rest waits in the box, verbatim
    assert 'maxlength' not in r.text.split('id="question"')[1].split(">")[0]  # a browser would cut a paste silently


def test_a_message_without_sentence_ends_is_cut_at_a_word_end() -> None:
    q = question_form({"question": "word " * 1000})  # 4,999 characters, no sentence end
    assert q.text == ("word " * 800).strip() and q.rest == ("word " * 200).strip()
    assert "read the first 3,999 and left out the last 999" in (q.left_out or "")
    q = question_form({"question": "x" * 4001})  # one unbroken word: cut at the limit itself
    assert len(q.text) == 4000 and q.rest == "x" and q.left_out
    assert question_form({"question": "y" * 4000}).left_out is None  # exactly the limit: all read


def test_an_empty_or_hidden_character_question_is_refused_naming_the_field(client: TestClient) -> None:
    for bad, words in (("   ", "question: ask Peri a question"),
                       ("fine-tune?\u202etxt.exe", "question: the question holds a control character (U+202E)")):
        r = ask(client, bad)
        assert r.status_code == 400 and words in " ".join(alert(r.text).split())
    assert client.get("/peri").text.count('<div class="q">') == 0
    assert re.search(r"Peri reads up to 4,000 characters at a time", client.get("/peri").text)
