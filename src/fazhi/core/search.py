"""Keyword search over Chinese text: jieba words plus every character bigram (design.md §2).

Two-character names and terms (李四, 罚款, 噪音) are the commonest queries, and a trigram index cannot serve
them. So a searchable model keeps a token column, filled from its text by `index_tokens()` whenever the text is
written, and on PostgreSQL a GIN index over its stored vector. A query becomes every bigram of it, ANDed
(`tsquery()`): the index narrows to the rows holding all of them, and the plain `icontains` over the source
fields then decides, so the result is exactly the substring search's, only indexed. A query with no bigram
(one character) and every query on SQLite use the `icontains` alone.

The vector is stored (`token_vector_field()`: a column generated from the token column, so every writer of the
tokens fills it, COPY included) and GIN-indexed, so no row's tokens are split again when a match is checked; the
migrations raise its statistics target, so that the planner knows how common each bigram is.

The first page of a common term is not found through the index: a term in 3 % of a million rows matches 30,000,
and the index would hand over all of them to be checked and sorted for twenty. So `search_filter` first reads
the newest `PROBE_ROWS` rows down the ordering index; when `DENSE_HITS` of them match, the term is common and the
query is the `icontains` alone, which the planner can only answer by walking the ordering index, a few thousand
rows for the first page. Otherwise matches are rare and the index serves them. Either way the condition
decides exactly the substring search's rows; only the plan differs.

The vector is `array_to_tsvector(string_to_array(tokens, ' '))` rather than `to_tsvector('simple', tokens)`:
the text-search parser would split or drop some tokens (it drops '①②', for one), and then a substring that is
present would not be found. Tokens are folded to upper case character by character, as PostgreSQL's UPPER()
in `icontains` folds them, so that a match the substring search finds is never missed here.
"""

import logging
import re
import warnings
from functools import reduce
from operator import or_

from django.db import connections, models
from django.db.models import BooleanField, Case, F, Func, Q, QuerySet, TextField, Value, When

# Runs of letters and digits (str.isalnum: CJK, Latin, digits, ...); a bigram never spans anything else.
_RUN = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[0-9A-Z]{3,}")
WORD_MAX = 60  # longer ASCII "words" add nothing a query of bigrams could use
DICT_WORD_MAX = 8
# A tsvector holds at most 1 MB; 50,000 distinct tokens of a few bytes stay well below it. Only a text of
# tens of thousands of distinct characters pairs reaches this; its later bigrams are not indexed.
TOKENS_MAX = 50_000
# The probe: the newest PROBE_ROWS rows are read before the index is used; DENSE_HITS matches among them make a
# term common (0.25 %: its first page is some 8,000 rows down the ordering index, and a rarer term matches at
# most a few thousand rows of a million, which the index hands over quicker). Fewer rows misjudge too many terms.
PROBE_ROWS = 2000
DENSE_HITS = 5
# A statistics target high enough that the planner knows the frequency of every bigram that matters.
VECTOR_STATISTICS = 10_000


def _jieba():
    with warnings.catch_warnings():
        # jieba 0.42 has regex literals that Python 3.12 warns about when it compiles them.
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba


def fold(text: str) -> str:
    """Upper case, one character for one (so positions stay where they were), as the database's UPPER()."""
    upper = text.upper()
    if len(upper) == len(text):
        return upper
    return "".join(u if len(u := c.upper()) == 1 else c for c in text)


def bigrams(text: str) -> list[str]:
    """Every pair of neighbouring letters/digits of the folded text, first occurrence order, no repeats."""
    return list(dict.fromkeys(_pairs(_RUN.findall(fold(text)))))


def _pairs(runs: list[str]):
    for run in runs:
        for i in range(len(run) - 1):
            yield run[i : i + 2]


def index_tokens(*texts: str) -> str:
    """The token string stored for `texts`: their bigrams, the jieba dictionary words of three or more characters
    found in them, and ASCII words/numbers of three or more (shorter ones are bigrams already); folded,
    space-separated, no repeats."""
    tokens: dict[str, None] = {}
    freq = None
    for text in texts:
        if not text:
            continue
        folded = fold(text)
        runs = _RUN.findall(folded)
        tokens.update(dict.fromkeys(_pairs(runs)))
        for word in _ASCII_WORD.findall(folded):
            if len(word) <= WORD_MAX:
                tokens[word] = None
        for run in runs:
            if len(run) >= 3 and not run.isascii():
                freq = freq or _dictionary()
                for word in _dictionary_words(run, freq):
                    tokens[word] = None
    return " ".join(list(tokens)[:TOKENS_MAX])


def _dictionary() -> dict[str, int]:
    jieba = _jieba()
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


def _dictionary_words(run: str, freq: dict[str, int]):
    """Every dictionary word of 3–DICT_WORD_MAX characters in `run`, overlapping ones too (what jieba's
    full mode finds, without its segmentation, which costs ten times as much and decides nothing here).
    jieba's FREQ holds every prefix of every word (with frequency 0), so a missing prefix ends the scan."""
    for i in range(len(run) - 2):
        if run[i : i + 2] not in freq:
            continue
        for j in range(i + 3, min(len(run), i + DICT_WORD_MAX) + 1):
            count = freq.get(run[i:j])
            if count is None:
                break
            if count:
                yield run[i:j]


def tsquery(q: str) -> str | None:
    """The tsquery text for `q` (every bigram ANDed), or None when it has none (a one-character query).
    Bigrams hold letters and digits only, so quoting them needs no escaping."""
    grams = bigrams(q)
    if not grams:
        return None
    return " & ".join(f"'{g}'" for g in grams)


class TokenVector(Func):
    """The stored vector of a token column (PostgreSQL); NULL on SQLite, where `icontains` alone searches."""

    template = "array_to_tsvector(string_to_array(%(expressions)s, ' '))"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


class TokenVectorField(models.Field):
    """A tsvector column on PostgreSQL (text, always NULL, on SQLite)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


def token_vector_field(tokens: str) -> models.GeneratedField:
    """The stored vector column of the token column `tokens`; a migration puts a GIN index on it and raises its
    statistics target (`vector_index_sql`)."""
    return models.GeneratedField(
        expression=TokenVector(F(tokens)), output_field=TokenVectorField(null=True), db_persist=True
    )


def vector_index_sql(table: str, column: str, index: str) -> list[str]:
    """PostgreSQL: the GIN index on a vector column, its statistics target, and the ANALYZE that uses it."""
    return [
        f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({column})",
        f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {VECTOR_STATISTICS}",
        f"ANALYZE {table} ({column})",
    ]


class _Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _TSQuery(Func):
    template = "%(expressions)s::tsquery"
    output_field = TextField()


def search_filter(
    qs: QuerySet,
    vector: str,
    q: str,
    *,
    fields: list[str],
    also: Q | None = None,
    newest: tuple[str, ...] = (),
) -> QuerySet:
    """Rows of `qs` where one of `fields` contains `q` (case-insensitive), through the vector column `vector`
    where the database can index it. `also` is ORed in (an exact match on a code, for instance). `newest` is the
    order the caller pages in (an index on its first field): given it, a term common among the newest rows is
    not looked up through the index (module docstring)."""
    like = reduce(or_, (Q(**{f"{name}__icontains": q}) for name in fields))
    plain = like | also if also is not None else like
    query = tsquery(q)
    if query is None or connections[qs.db].vendor != "postgresql":
        return qs.filter(plain)
    if newest and _common_among_newest(qs, q, fields, newest):
        return qs.filter(_unestimated(plain))
    indexed = Q(_Matches(F(vector), _TSQuery(Value(query)))) & like
    return qs.filter(indexed | also if also is not None else indexed)


def _unestimated(condition: Q) -> Case:
    """`condition` in a CASE, whose selectivity the planner cannot estimate and takes as one half. For a common
    term that is nearer the truth than its guess for LIKE '%…%' (a few rows), which would send it scanning the
    whole ordering index in parallel workers to find twenty. (The rare terms keep the plain LIKE: told how
    common they are, it would walk the ordering index for them too, and they may sit far down it.)"""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _common_among_newest(qs: QuerySet, q: str, fields: list[str], newest: tuple[str, ...]) -> bool:
    """Whether DENSE_HITS of the newest PROBE_ROWS rows of `qs` contain `q`: one scan of the ordering index, the
    texts compared here (folded as UPPER() folds them; the probe only chooses the plan, the query decides)."""
    needle = fold(q)
    hits = 0
    for row in qs.order_by(*newest).values_list(*fields)[:PROBE_ROWS]:
        if any(needle in fold(text or "") for text in row):
            hits += 1
            if hits >= DENSE_HITS:
                return True
    return False
