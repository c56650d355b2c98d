"""techissue: a self-hosted engine for a curated tech and business newsletter."""

__version__ = "0.1.0"
