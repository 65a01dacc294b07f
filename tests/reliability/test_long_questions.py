"""Long questions cost little: understanding is linear and cheap in their length.

2,000 random CJK characters (the longest question accepted) used to cost ~7 s
of CPU in the place tagger's HMM (`jieba.posseg` with HMM over the whole
question, ~10 ms per character of rare characters), so 40 such questions
stalled the service. Times are CPU time of this thread, so other processes
on the machine do not make the tests flaky; the limits are 10x the cost now.
"""

from __future__ import annotations

import random
import time

import pytest

from config import Settings
from retrieval import ask
from retrieval.engine import get_engine
from retrieval.query import understand
from retrieval.records import Turn


def rare_characters(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


def cpu_seconds(call) -> float:
    started = time.thread_time()
    call()
    return time.thread_time() - started


@pytest.fixture(scope="module")
def documents(built_index: Settings):
    docs = get_engine(built_index).documents
    understand("枣庄市政府办2024年公务接待费是多少？", docs)  # load the dictionaries once
    return docs


def test_understanding_a_2000_character_question_takes_under_a_second(documents):
    question = rare_characters(2000)
    assert cpu_seconds(lambda: understand(question, documents)) < 1.0


def test_understanding_ten_turns_of_long_history_takes_under_two_seconds(documents):
    history = [Turn(rare_characters(2000, n), rare_characters(2000, n + 50)) for n in range(10)]
    assert cpu_seconds(lambda: understand("那高平市呢？", documents, history)) < 2.0


def test_answering_a_2000_character_question_takes_under_three_seconds(built_index: Settings):
    question = rare_characters(2000, seed=2)
    ask("枣庄市政府办2024年公务接待费是多少？", settings=built_index)
    assert cpu_seconds(lambda: ask(question, settings=built_index)) < 3.0


def test_a_place_no_document_covers_is_still_found_in_a_long_question(documents):
    question = rare_characters(1500) + "滕州市人民政府办公室2024年公务接待费是多少？"
    assert "滕州市" in understand(question, documents).unknown_places
