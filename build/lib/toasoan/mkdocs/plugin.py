"""The one entry point MkDocs calls: every event of the generator, in a fixed order.

A site wires it in with a thin file, ``hooks/wiring.py`` (not ``toasoan.py``: MkDocs
registers a hook module under its file name, which would hide the package)::

    from toasoan.mkdocs.plugin import hooks
    globals().update(hooks())

(or with ``plugins: [toasoan]``, the same object registered as a MkDocs plugin).
Each event runs the stages' handlers in the order below, whatever order a site
lists its own hooks in: articles are read before photos, related links, search
and feeds use them, and the article guard sees the final HTML last.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from . import articles, buildlock, cms, feeds, masthead, photos, related, search, staging

THEME_DIR = Path(__file__).resolve().parent / "theme"
STYLESHEETS = ("stylesheets/bulletin.css", "stylesheets/search.css")

# One build at a time (the lock first); reading next, everything else uses what it read;
# staging last, once the final site_dir is known.
ORDER = (buildlock, articles, photos, related, search, feeds, masthead, cms, staging)
# The guard (articles.on_page_content) must see the page after every other handler.
CONTENT_ORDER = (photos, related, search, feeds, masthead, cms, articles)
# At the end: every file written, then the manifest and the swap of site/, then the lock released.
END_ORDER = (articles, photos, related, search, feeds, masthead, cms, staging, buildlock)

EVENTS = ("startup", "config", "files", "env", "page_read_source", "page_markdown",
          "page_content", "page_context", "post_build", "build_error", "shutdown")


def _run(event: str, parts, item=None, **kwargs):
    """Run ``on_<event>`` of each part; like MkDocs, a handler's non-None result replaces ``item``."""
    for part in parts:
        handler = getattr(part, f"on_{event}", None)
        if handler is None:
            continue
        result = handler(item, **kwargs) if item is not None else handler(**kwargs)
        if result is not None:
            item = result
    return item


class Plugin(BasePlugin):
    """Tòa soạn inside MkDocs: its theme layer, then each stage's handlers."""

    def on_startup(self, *, command, dirty):
        _run("startup", ORDER, command=command, dirty=dirty)

    @event_priority(100)  # the build lock before anything else; a province's hooks see our settings
    def on_config(self, config):
        _use_theme(config)
        return _run("config", ORDER, config)

    def on_files(self, files, *, config):
        return _run("files", ORDER, files, config=config)

    def on_env(self, env, *, config, files):
        return _run("env", ORDER, env, config=config, files=files)

    def on_page_read_source(self, *, page, config):
        return _run("page_read_source", ORDER, page=page, config=config)

    def on_page_markdown(self, markdown, *, page, config, files):
        return _run("page_markdown", ORDER, markdown, page=page, config=config, files=files)

    @event_priority(-100)  # after a province's own hooks: the guard sees the final HTML
    def on_page_content(self, html, *, page, config, files):
        return _run("page_content", CONTENT_ORDER, html, page=page, config=config, files=files)

    def on_page_context(self, context, *, page, config, nav):
        return _run("page_context", ORDER, context, page=page, config=config, nav=nav)

    @event_priority(-100)  # after a province's own hooks wrote their files: they go in the manifest
    def on_post_build(self, *, config):
        _run("post_build", END_ORDER, config=config)

    def on_build_error(self, *, error):
        _run("build_error", END_ORDER, error=error)

    def on_shutdown(self):
        _run("shutdown", END_ORDER)


def _use_theme(config) -> None:
    """Put the package's templates and assets under the site's own overrides.

    MkDocs looks templates up in ``theme.dirs`` in order: the site's ``custom_dir``
    (a province's own partials) first, then this package, then Material. Static
    files in these folders (CSS, JS, fonts) are copied into the site the same way.
    """
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        at = 1 if config.theme.custom_dir and dirs and dirs[0] == config.theme.custom_dir else 0
        dirs.insert(at, str(THEME_DIR))
    for sheet in STYLESHEETS:
        if sheet not in config.extra_css:
            config.extra_css.insert(STYLESHEETS.index(sheet), sheet)


def hooks() -> dict:
    """``on_*`` functions of one new Plugin, for a site's ``hooks/`` file.

    A new object each time MkDocs loads the site's configuration (``mkdocs serve``
    reloads it on every change), so no state outlives its build.
    """
    plugin = Plugin()
    return {f"on_{event}": getattr(plugin, f"on_{event}") for event in EVENTS}
