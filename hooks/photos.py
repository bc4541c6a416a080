"""MkDocs hook: photos (stub; filled in by its issue)."""
