"""MkDocs hook: search (stub; filled in by its issue)."""
