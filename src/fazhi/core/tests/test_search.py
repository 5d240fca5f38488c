"""core/search.py: what is indexed and what a query asks for (no database; the database side is tested where a
model uses it, complaints/tests/test_selectors.py)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.search import bigrams, bounded_words, fold, index_tokens, tsquery

# Few distinct characters, so that generated queries often occur in generated texts; with case pairs, digits,
# separators and characters whose case mapping is unusual (ß upper-cases to two letters, ı to I).
ALPHABET = "李四张三罚款噪音扰民川市aAbBzZ19 ，-_①ßıİ\n"


def test_two_character_names_and_terms_are_tokens():
    tokens = index_tokens("东城区人民路12号的KTV噪音扰民", "李四")
    assert {"噪音", "扰民", "李四", "KT", "TV", "12", "2号"} <= set(tokens.split())
    assert tsquery("李四") == "'李四'"
    assert tsquery("噪音扰民") == "'噪音' & '音扰' & '扰民'"


def test_a_query_without_a_bigram_has_no_tsquery():
    assert tsquery("李") is None
    assert tsquery("李 四") is None  # a space is not searched across
    assert tsquery("李 四川") == "'四川'"


def test_jieba_words_and_ascii_words_are_indexed_too():
    tokens = set(index_tokens("示例市市场监督管理局 ABC123 执法").split())
    assert "ABC123" in tokens
    assert "管理局" in tokens  # a dictionary word of three characters; the two-character ones are bigrams


def test_fold_keeps_positions():
    assert fold("aß ı") == "Aß I"
    assert len(fold("ﬁxßİ")) == len("ﬁxßİ")


@settings(suppress_health_check=[HealthCheck.too_slow])  # the machine running it may be busy
@given(
    text=st.text(alphabet=ALPHABET, max_size=40),
    start=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=2, max_value=8),
)
def test_every_bigram_of_a_substring_is_indexed(text, start, length):
    """What makes the index search equal to the substring search: a query found in the text (as icontains
    compares, upper-cased) never asks for a bigram the text's tokens lack."""
    query = text[start : start + length]
    stored = index_tokens(text)
    tokens = set(stored.split(" "))
    assert set(bigrams(query)) <= tokens
    # array_to_tsvector refuses an empty lexeme: no leading, trailing or doubled space.
    assert stored == "" or "" not in stored.split(" ")


@given(text=st.text(alphabet=ALPHABET, max_size=30), query=st.text(alphabet=ALPHABET, min_size=2, max_size=4))
def test_a_query_found_case_insensitively_has_its_bigrams_indexed(text, query):
    if fold(query) in fold(text):
        assert set(bigrams(query)) <= set(index_tokens(text).split())


def test_bounded_words_are_whole_words_inside_the_query():
    assert bounded_words("示罚〔2020〕") == ["2020"]
    assert bounded_words("示罚〔2020〕15号") == ["2020"]  # 15 is too short to be a stored word
    assert bounded_words("2020年") == []  # at the start: the text may hold 12020年
    assert bounded_words("证号ab12345c号") == ["AB12345C"]
    assert bounded_words("沪A12345") == []  # at the end


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(alphabet="示罚〔〕号年aB0129 -", max_size=40),
    start=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=3, max_value=12),
)
def test_every_bounded_word_of_a_substring_is_a_token_of_the_text(text, start, length):
    """What makes the ordered word walk equal to the substring search: a query found in the text never names a
    bounded word the text's tokens lack."""
    query = text[start : start + length]
    assert set(bounded_words(query)) <= set(index_tokens(text).split(" "))
