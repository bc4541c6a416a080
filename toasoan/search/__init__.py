"""Static full-text search for the bulletin: tokens and index files (the plain text comes from ``reading.plain``).

The index is a set of small static files (see ``index.py``) that the
hand-written client ``docs/javascripts/search.js`` reads; no server needed.
"""
