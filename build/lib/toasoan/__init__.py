"""Tòa soạn: a static news-site generator for provincial bulletins, on MkDocs."""

__version__ = "1.0.0"
