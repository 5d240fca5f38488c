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

A list page of a common term is not served from all its matches: a term in 3 % of a million rows matches 30,000,
and the index would hand over all of them to be checked and sorted for twenty. List pages only reach the first
`first` rows in their order (core/paging.py counts no further than 201), so given `first`, `search_filter` looks
for them in a window of the newest rows (`newest[0] >= bound`), sized from the planner's statistics — how common
the query's rarest bigram is (the vector's most common elements) and where the ordering column's quantiles lie
(its histogram) — for some 2·`first` candidates; one bounded count confirms that the window holds `first` matches,
or the window widens (32-fold when it holds none at all), up to the whole table. The index and a B-tree range then meet in one bitmap, and only the
window's matches are read. The rows outside the window all come after the window's in the order, so the first
`first` rows and a count capped at `first` are exactly the substring search's; only the plan differs. Without
`first` (an export, a lookup) the index serves every match. A term in a tenth of the rows or more (罚款 among
decisions) is not looked up at all: walking the ordering index finds its first page within a few dozen rows.
That walk assumes the matches are spread over the order; a query of common bigrams whose matches all lie at the far
end (示罚〔2020〕 among newer decisions) would read most of the table, so a model that keeps its ASCII words in order
walks the rows holding the query's enclosed word instead (`walking_word`, cases.DisclosureWord).

The vector is `array_to_tsvector(string_to_array(tokens, ' '))` rather than `to_tsvector('simple', tokens)`:
the text-search parser would split or drop some tokens (it drops '①②', for one), and then a substring that is
present would not be found. Tokens are folded to upper case character by character, as PostgreSQL's UPPER()
in `icontains` folds them, so that a match the substring search finds is never missed here.
"""

import logging
import re
import time
import warnings
from functools import lru_cache, reduce
from operator import or_

from django.db import connections, models
from django.db.models import BooleanField, Case, F, Func, Q, QuerySet, TextField, Value, When

# Runs of letters and digits (str.isalnum: CJK, Latin, digits, ...); a bigram never spans anything else.
_RUN = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[0-9A-Z]{3,}")
WORD_MAX = 60  # longer ASCII "words" add nothing a query of bigrams could use
DICT_WORD_MAX = 8
RUN_CACHE = 1 << 16  # runs whose tokens are kept (a run is a few dozen characters)
# A tsvector holds at most 1 MB; 50,000 distinct tokens of a few bytes stay well below it. Only a text of
# tens of thousands of distinct characters pairs reaches this; its later bigrams are not indexed.
TOKENS_MAX = 50_000
# The window: sized for WINDOW_SLACK times the rows wanted, widened WINDOW_GROWTH-fold while it holds too few;
# a window of more than WINDOW_MAX of the table is the whole table. The statistics are read again after STATS_TTL.
WINDOW_SLACK = 1.5
WINDOW_GROWTH = 4.0
WINDOW_EMPTY_GROWTH = 32.0
WINDOW_MAX = 0.5
# A term whose rarest bigram is in this share of the rows or more is not looked up in the index at all (its posting
# lists would be a large part of the table): the ordering index is walked until the page is full (`unestimated`).
WALK_DENSITY = 0.1
STATS_TTL = 300.0
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
    for text in texts:
        if not text:
            continue
        parts = [_run_tokens(run) for run in _RUN.findall(fold(text))]
        for kind in range(3):  # every bigram first, then the ASCII words, then the dictionary words
            for part in parts:
                tokens.update(dict.fromkeys(part[kind]))
    return " ".join(list(tokens)[:TOKENS_MAX])


@lru_cache(maxsize=RUN_CACHE)
def _run_tokens(run: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A run's bigrams, ASCII words and dictionary words. Texts are mostly made of runs seen before (the phrases of
    complaints and decisions, place and unit names), so each is split once per process."""
    pairs = tuple([run[i : i + 2] for i in range(len(run) - 1)])
    if len(run) < 3:
        return pairs, (), ()
    if run.isascii():
        return pairs, tuple(w for w in _ASCII_WORD.findall(run) if len(w) <= WORD_MAX), ()
    words = tuple(w for w in _ASCII_WORD.findall(run) if len(w) <= WORD_MAX)
    return pairs, words, tuple(_dictionary_words(run, _dictionary()))


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


def bounded_words(q: str) -> list[str]:
    """The ASCII words of `q` (as `index_tokens` stores them: three or more of 0-9A-Z, at most WORD_MAX) with a
    character on each side inside `q` that is not one of 0-9A-Z — 2020 in 示罚〔2020〕 or 12号 in … Any text
    containing `q` (case-insensitively) then holds each of them as a whole ASCII word, so they are among its
    tokens; a word at either end of `q` could be the tail or head of a longer one in the text and is not."""
    folded = fold(q)
    words = []
    for match in re.finditer(r"[0-9A-Z]+", folded):
        word = match.group()
        if match.start() > 0 and match.end() < len(folded) and 3 <= len(word) <= WORD_MAX:
            words.append(word)
    return list(dict.fromkeys(words))


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
    first: int | None = None,
) -> QuerySet:
    """Rows of `qs` where one of `fields` contains `q` (case-insensitive), through the vector column `vector`
    where the database can index it. `also` is ORed in (an exact match on a code, for instance). `newest` is the
    order the caller pages in (an index on its first field); `first`, when given, promises that no more than the
    first `first` rows in that order (and a count capped there) are read: the rows past them may then be left out
    (module docstring)."""
    like = reduce(or_, (Q(**{f"{name}__icontains": q}) for name in fields))
    plain = like | also if also is not None else like
    query = tsquery(q)
    if query is None or connections[qs.db].vendor != "postgresql":
        return qs.filter(plain)
    indexed = None
    if first and newest:
        indexed = _window(qs, vector, q, like, newest[0], first)
        if indexed is WALK:
            return qs.filter(unestimated(plain))
    if indexed is None:
        indexed = _matches(vector, query) & like
    return qs.filter(indexed | also if also is not None else indexed)


WALK = Q()  # `_window`'s answer for a term in so many rows that the ordering index finds its first ones soonest


def walking_word(qs: QuerySet, vector: str, q: str) -> str | None:
    """For a model that keeps its ASCII words in order (cases.DisclosureWord): the word of `q` to walk in that order
    when every bigram of `q` is so common that a list page would walk the whole ordering index (WALK) — 示罚〔2020〕:
    every decision number holds 示罚, 20 and 02, and only those of 2020 match, all among the oldest rows. Walking
    the rows that hold the word 2020, newest first, finds them at once. The rarest of `bounded_words(q)` by the
    vector's statistics; None when `q` has none, or its bigrams do not walk, or the database is not PostgreSQL."""
    words = bounded_words(q)
    grams = bigrams(q)
    if not words or not grams or connections[qs.db].vendor != "postgresql":
        return None
    stats = _stats(qs.db, qs.model._meta.db_table, qs.model._meta.get_field(vector).column, "vector")
    if not stats:
        return None
    freqs, rare = stats
    if min(freqs.get(g, rare) for g in grams) < WALK_DENSITY:
        return None
    return min(words, key=lambda w: (freqs.get(w, rare), w))


def unestimated(condition: Q) -> Case:
    """`condition` in a CASE, whose selectivity the planner cannot estimate and takes as one half. For a term in
    every tenth row or more that is nearer the truth than its guess for LIKE '%…%' (a few rows), which would send it
    scanning the whole ordering index in parallel workers to find twenty; told one half, it walks the ordering index
    and stops at the page, and a capped count stops at the cap."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _matches(vector: str, query: str) -> Q:
    return Q(_Matches(F(vector), _TSQuery(Value(query))))


_STATS: dict[tuple, tuple[float, object]] = {}


def _stats(db: str, table: str, column: str, kind: str):
    """The planner's statistics of `table.column` (cached for STATS_TTL): for a vector, {token: frequency} with the
    frequency the rarer tokens stay under; for the ordering column, its histogram bounds, ascending."""
    key = (db, table, column, kind)
    now = time.monotonic()
    hit = _STATS.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    with connections[db].cursor() as cur:
        if kind == "vector":
            cur.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
                " WHERE schemaname = current_schema() AND tablename = %s AND attname = %s",
                [table, column],
            )
            row = cur.fetchone()
            value = None
            if row and row[0]:
                elems, freqs = row
                # The frequencies array ends with the least and the greatest frequency and that of NULLs.
                value = (dict(zip(elems, freqs, strict=False)), min(freqs[: len(elems)]))
        else:
            cur.execute(
                "SELECT histogram_bounds::text FROM pg_stats"
                " WHERE schemaname = current_schema() AND tablename = %s AND attname = %s",
                [table, column],
            )
            row = cur.fetchone()
            value = None
            if row and row[0]:
                cur.execute(
                    f"SELECT %s::{kind}[], (SELECT reltuples FROM pg_class WHERE oid = %s::regclass)", [row[0], table]
                )
                bounds, rows = cur.fetchone()
                value = (bounds, max(rows, 0.0))
    if len(_STATS) > 64:
        _STATS.clear()
    _STATS[key] = (now + STATS_TTL, value)
    return value


def _quantile(bounds: list, share: float):
    """The value that leaves `share` of the rows above it, by the histogram's bounds (equal numbers of rows between
    neighbours), interpolated within a bucket; None past the lowest bound."""
    buckets = len(bounds) - 1
    position = share * buckets
    whole = int(position)
    if whole >= buckets:
        return None
    high, low = bounds[buckets - whole], bounds[buckets - whole - 1]
    try:
        return high - (high - low) * (position - whole)
    except TypeError:  # a type without arithmetic: the bucket's lower bound
        return low


def _window(qs: QuerySet, vector: str, q: str, like: Q, order: str, first: int) -> Q | None:
    """The condition of the smallest window of the newest rows that holds the first `first` rows of `qs` whose
    `fields` contain `q` (module docstring), or None when only the whole table does. Within the window the index is
    asked for the query's rarest bigram alone: the planner knows how common one bigram is, while for several ANDed it
    multiplies their frequencies, expects next to nothing and skips the window's B-tree; `like` decides anyway."""
    model = qs.model
    column_name = order.lstrip("-")
    if not order.startswith("-"):
        return None
    field = model._meta.get_field(column_name)
    table, db = model._meta.db_table, qs.db
    tokens = _stats(db, table, model._meta.get_field(vector).column, "vector")
    histogram = _stats(db, table, field.column, field.db_type(connections[db]))
    if not tokens or not histogram:
        return None
    freqs, rare = tokens
    bounds, rows = histogram
    if len(bounds) < 2 or rows < 1:
        return None
    # No more rows match than hold the query's rarest bigram.
    density, gram = min((freqs.get(g, rare), g) for g in bigrams(q))
    if density >= WALK_DENSITY:
        return WALK
    share = WINDOW_SLACK * first / max(density * rows, 1.0)
    while share < WINDOW_MAX:
        bound = _quantile(bounds, share)
        if bound is None:
            return None
        condition = _matches(vector, f"'{gram}'") & like & Q(**{f"{column_name}__gte": bound})
        found = qs.filter(condition).order_by()[:first].count()
        if found >= first:
            return condition
        # How common the matches are in the window sizes the next one (at least WINDOW_GROWTH times as large). None
        # at all (a number that is not there, a term of other years, a cursor or an end date below the window) widens
        # it WINDOW_EMPTY_GROWTH-fold: each window reads the rarest bigram's postings again, so few and large.
        share *= max(WINDOW_GROWTH, WINDOW_SLACK * first / found) if found else WINDOW_EMPTY_GROWTH
    return None
