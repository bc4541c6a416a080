"""Static full-text search for the bulletin: tokens, index files, plain text.

The index is a set of small static files (see ``index.py``) that the
hand-written client ``docs/javascripts/search.js`` reads; no server needed.
"""
