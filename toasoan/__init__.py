"""Tòa soạn: a static news-site generator for provincial bulletins, on MkDocs."""

__version__ = "0.1.0"
