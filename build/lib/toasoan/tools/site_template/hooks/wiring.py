"""Wires this site to the installed generator (package ``toasoan``).

Leave the two lines below as they are. A province's own small tweaks go in
other files beside this one, listed after it under ``hooks:`` in mkdocs.yml.
"""

from toasoan.mkdocs.plugin import hooks

globals().update(hooks())
