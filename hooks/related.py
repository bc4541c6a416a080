"""MkDocs hook: related (stub; filled in by its issue)."""
