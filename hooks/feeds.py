"""MkDocs hook: feeds (stub; filled in by its issue)."""
