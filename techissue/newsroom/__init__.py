"""An offline newsroom: turns a corpus of invented articles into feeds and pages served on loopback."""

from techissue.newsroom.corpus import Corpus, CorpusArticle, CorpusError, Outlet, load_corpus
from techissue.newsroom.server import NewsroomServer, serve_corpus

__all__ = [
    "Corpus",
    "CorpusArticle",
    "CorpusError",
    "NewsroomServer",
    "Outlet",
    "load_corpus",
    "serve_corpus",
]
