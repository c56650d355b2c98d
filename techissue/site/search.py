"""Search across the public archive in Korean and English: trigram indexes, so `반도체` finds `반도체업계`.

SQLite (the embedded default) keeps an FTS5 table with the trigram tokenizer beside `SearchEntry` and
ranks by BM25; a word of one or two characters (`칩`, `AI`), too short for a trigram, is looked up at the
start of words in a second FTS5 table with prefix indexes. PostgreSQL keeps a `pg_trgm` GIN index over
the same text and ranks by where and how often the words occur. See docs/design-notes.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe

from techissue.editions.models import Edition
from techissue.site import magazine
from techissue.site.models import Post, SearchEntry

PAGE_SIZE = 10
MAX_TERMS = 8
MAX_TERM_LENGTH = 60
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 160
FTS_TABLE = "site_search_fts"  # trigrams: any substring of three characters or more
WORDS_TABLE = "site_search_words"  # words, with prefix indexes: a word of one or two characters at a word's start
TRIGRAM = 3
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # a NUL cannot even reach PostgreSQL


def normalise(text: str) -> str:
    """NFC (a Korean query typed on macOS arrives decomposed), control characters dropped, white space folded."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text or ""))
    return re.sub(r"\s+", " ", text).strip()


def terms_of(query: str) -> list[str]:
    """The distinct words of a query, longest first, at most MAX_TERMS of them."""
    seen: dict[str, str] = {}
    for word in normalise(query).split(" "):
        word = word.strip("\"'")[:MAX_TERM_LENGTH]
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return sorted(seen.values(), key=len, reverse=True)[:MAX_TERMS]


# -- the index -----------------------------------------------------------------------------------------


@dataclass
class Document:
    source: str
    kind: str
    url: str
    title: str
    body: str
    language: str
    date: datetime


def edition_documents(edition: Edition) -> list[Document]:
    """An edition's documents: the edition with its picks, and its editorial as a post."""
    picks = " ".join(f"{pick.headline} {pick.outlets} {pick.comment}" for pick in edition.picks.all())
    found = [
        Document(
            source=f"edition:{edition.number}",
            kind=SearchEntry.Kind.EDITION,
            url=edition.get_absolute_url(),
            title=normalise(f"#{edition.number} {edition.title}"),
            body=normalise(f"{edition.subtitle} {picks}"),
            language=edition.language,
            date=edition.published_at or edition.updated_at,
        )
    ]
    if edition.editorial_md.strip():
        found.append(_post_document(f"editorial:{edition.number}", magazine.entry_for_edition(edition)))
    return found


def _post_document(source: str, entry: magazine.Entry) -> Document:
    return Document(
        source=source,
        kind=SearchEntry.Kind.POST,
        url=entry.url,
        title=normalise(entry.title),
        body=normalise(f"{entry.subtitle} {magazine._plain(entry.body_md)}"),
        language=entry.language,
        date=entry.date,
    )


def post_documents(post: Post) -> list[Document]:
    return [_post_document(f"post:{post.pk}", magazine.entry_for_post(post))]


def public_documents() -> Iterable[Document]:
    editions = Edition.objects.published().select_related("post").prefetch_related("picks")
    for edition in editions:
        yield from edition_documents(edition)
    for post in Post.objects.standalone_published():
        yield from post_documents(post)


def _uses_fts() -> bool:
    return connection.vendor == "sqlite"


def _replace(sources: Sequence[str] | None, documents: Iterable[Document]) -> int:
    """Drop the entries of `sources` (every entry when None) and store `documents` in their place."""
    with transaction.atomic():
        stale = SearchEntry.objects.all() if sources is None else SearchEntry.objects.filter(source__in=sources)
        if _uses_fts():
            if sources is None:
                with connection.cursor() as cursor:
                    for table in (FTS_TABLE, WORDS_TABLE):
                        cursor.execute(f"DELETE FROM {table}")
            else:
                _drop_fts_rows(list(stale.values_list("id", flat=True)))
        stale.delete()
        created = SearchEntry.objects.bulk_create(
            SearchEntry(
                source=doc.source,
                kind=doc.kind,
                url=doc.url,
                title=doc.title[:500],
                body=doc.body,
                language=doc.language,
                date=doc.date,
            )
            for doc in documents
        )
        if _uses_fts() and created:
            if created[0].pk is None:  # a backend that returns no keys from bulk_create
                created = list(SearchEntry.objects.filter(source__in=[entry.source for entry in created]))
            # A row left by a table flush that knew nothing of the FTS table must not stand for a new entry.
            _drop_fts_rows([entry.pk for entry in created])
            rows = [(entry.pk, entry.title, entry.body) for entry in created]
            with connection.cursor() as cursor:
                for table in (FTS_TABLE, WORDS_TABLE):
                    cursor.executemany(f"INSERT INTO {table}(rowid, title, body) VALUES (%s, %s, %s)", rows)
        return len(created)


def _drop_fts_rows(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("%s" for _ in chunk)
            for table in (FTS_TABLE, WORDS_TABLE):
                cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)


def rebuild_index() -> int:
    """Index every public edition and post anew; returns how many documents the index holds."""
    return _replace(None, list(public_documents()))


def index_editions(numbers: Iterable[int]) -> None:
    """Bring the entries of these editions up to date: re-index the published ones, drop the others."""
    numbers = set(numbers)
    sources = [f"{kind}:{number}" for number in numbers for kind in ("edition", "editorial")]
    editions = Edition.objects.published().filter(number__in=numbers).select_related("post").prefetch_related("picks")
    _replace(sources, [doc for edition in editions for doc in edition_documents(edition)])


def index_post(post: Post) -> None:
    """Bring one post's entry up to date (an edition's post re-indexes its edition)."""
    if post.edition_id is not None and post.edition is not None:
        index_editions([post.edition.number])
        return
    public = Post.objects.standalone_published().filter(pk=post.pk).first()
    _replace([f"post:{post.pk}"], post_documents(public) if public else [])


def ensure_index() -> None:
    """Build the index once where it was never built (an upgrade, or a restored database)."""
    if SearchEntry.objects.exists():
        return
    if Edition.objects.published().exists() or Post.objects.standalone_published().exists():
        rebuild_index()


# -- queries -------------------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    url: str
    title_html: SafeString
    snippet_html: SafeString
    language: str
    date: datetime


@dataclass
class Results:
    query: str
    terms: list[str]
    hits: list[Hit]
    total: int
    page: int
    pages: int

    @property
    def start(self) -> int:
        """The rank of this page's first hit, for the list's numbering."""
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sqlite_query(terms: list[str]) -> tuple[str, list[Any], str]:
    long_terms = [term for term in terms if len(term) >= TRIGRAM]
    short_terms = [term for term in terms if len(term) < TRIGRAM]
    where: list[str] = []
    params: list[Any] = []
    if long_terms:
        where.append(f"{FTS_TABLE} MATCH %s")
        params.append(" AND ".join('"' + term.replace('"', '""') + '"' for term in long_terms))
    if short_terms:
        # Too short for a trigram: matched at the start of a word (Korean particles follow the noun: 칩의, 칩과).
        where.append(f"e.id IN (SELECT rowid FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH %s)")
        params.append(" AND ".join('"' + term.replace('"', '""') + '"*' for term in short_terms))
    rank = f"bm25({FTS_TABLE}, 4.0, 1.0), " if long_terms else ""
    sql = f"FROM {FTS_TABLE} JOIN site_searchentry AS e ON e.id = {FTS_TABLE}.rowid WHERE {' AND '.join(where)}"
    return sql, params, f"ORDER BY {rank}e.date DESC"


def _tsquery_prefix(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "':*"


def _postgres_query(terms: list[str]) -> tuple[str, list[Any], str]:
    where: list[str] = []
    params: list[Any] = []
    rank_parts: list[str] = []
    rank_params: list[Any] = []
    for term in terms:
        if len(term) >= TRIGRAM:
            # The expression is the indexed one (migration 0001): the GIN trigram index finds the rows.
            where.append("(e.title || ' ' || e.body) ILIKE %s")
            params.append(_like(term))
        else:
            # Too short for a trigram: matched at the start of a word, through the word index.
            where.append("to_tsvector('simple', e.title || ' ' || e.body) @@ to_tsquery('simple', %s)")
            params.append(_tsquery_prefix(term))
        rank_parts.append(
            "(CASE WHEN e.title ILIKE %s THEN 4 ELSE 0 END"
            " + (length(e.body) - length(replace(lower(e.body), lower(%s), ''))) / length(%s)::float)"
        )
        rank_params += [_like(term), term, term]
    sql = f"FROM site_searchentry AS e WHERE {' AND '.join(where)}"
    order = f"ORDER BY ({' + '.join(rank_parts)}) DESC, e.date DESC"
    return sql, params + rank_params, order


def search(query: str, page: int | str | None = 1) -> Results:
    """The public documents that contain every word of `query`, best first, one page of them."""
    terms = terms_of(query)
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    if not terms:
        return Results(query=normalise(query), terms=[], hits=[], total=0, page=1, pages=0)
    ensure_index()
    if _uses_fts():
        sql, params, order = _sqlite_query(terms)
        order_params: list[Any] = []
    else:
        sql, all_params, order = _postgres_query(terms)
        params, order_params = all_params[: len(terms)], all_params[len(terms) :]  # WHERE's, then ORDER BY's
    with transaction.atomic(), connection.cursor() as cursor:
        if not _uses_fts():
            # The planner underrates GIN trigram scans on a small table and reads every row instead
            # (37 ms against 3 ms over 1,000 documents); the setting ends with this transaction.
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"SELECT count(*) {sql}", params)
        total = int(cursor.fetchone()[0])
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(number, pages)
        cursor.execute(
            f"SELECT e.kind, e.url, e.title, e.body, e.language, e.date {sql} {order} LIMIT %s OFFSET %s",
            [*params, *order_params, PAGE_SIZE, (number - 1) * PAGE_SIZE],
        )
        rows = cursor.fetchall()
    pattern = _pattern(terms)
    hits = [
        Hit(
            kind=kind,
            url=url,
            title_html=highlight(title, pattern),
            snippet_html=snippet(body, pattern),
            language=language,
            date=_as_datetime(date),
        )
        for kind, url, title, body, language, date in rows
    ]
    return Results(query=normalise(query), terms=terms, hits=hits, total=total, page=number, pages=pages)


def _as_datetime(value: object) -> datetime:
    """A raw cursor gives SQLite's stored text (UTC) and PostgreSQL's aware value: both become aware datetimes."""
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    assert parsed is not None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def _pattern(terms: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern[str]) -> SafeString:
    """`text` escaped, with every match of `pattern` in `<mark>`."""
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out += [escape(text[last : match.start()]), "<mark>", escape(match.group(0)), "</mark>"]
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, pattern: re.Pattern[str]) -> SafeString:
    """A short passage of `text` around its first match, highlighted, with ellipses where it was cut."""
    match = pattern.search(text)
    start = max(0, (match.start() if match else 0) - SNIPPET_BEFORE)
    end = min(len(text), (match.end() if match else 0) + SNIPPET_AFTER)
    if start > 0:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    passage = highlight(text[start:end], pattern)
    return mark_safe(("…" if start > 0 else "") + passage + ("…" if end < len(text) else ""))


def forget_posts(post_ids: Iterable[int]) -> None:
    """Drop the entries of deleted posts."""
    sources = [f"post:{pk}" for pk in post_ids]
    if sources:
        _replace(sources, [])
