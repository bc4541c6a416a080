"""The one entry point MkDocs calls: every event of the generator, in a fixed order.

A site wires it in with a thin file, ``hooks/wiring.py`` (not ``toasoan.py``: MkDocs
registers a hook module under its file name, which would hide the package)::

    from toasoan.mkdocs.plugin import hooks
    globals().update(hooks())

(or with ``plugins: [toasoan]``, the same object registered as a MkDocs plugin).
Each event runs the stages' handlers in the order below, whatever order a site
lists its own hooks in: articles are read before photos, related links, search
and feeds use them, and the article guard sees the final HTML last.

A build's state is one :class:`~toasoan.mkdocs.state.SiteBuild`, made afresh in
``on_config`` (MkDocs loads the configuration anew for every build, and for every
``mkdocs serve`` rebuild) and passed to each handler as its first argument.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from . import (articles, buildlock, cms, convert, feeds, lean, masthead, pagecache, parallel, photos, related, search,
               staging, templates, written)
from .state import SiteBuild

THEME_DIR = Path(__file__).resolve().parent / "theme"
# One stylesheet of the site's own (search's rules are in it too: one <link> less on every page).
STYLESHEETS = ("stylesheets/bulletin.css",)

# One build at a time (the lock first); reading next, everything else uses what it read;
# the search index (forked as soon as articles are read, see search.on_files) before "Xem thêm";
# the page cache once pages can be keyed (after related); staging once the final site_dir is known;
# lean (minify) after everything that writes a page; written (lets a written page's HTML go) last.
ORDER = (buildlock, articles, photos, search, related, feeds, masthead, cms, templates, pagecache, staging, lean, written)
# The guard (articles.on_page_content) must see the page after every other handler.
CONTENT_ORDER = (photos, related, search, feeds, masthead, cms, articles)
# At the end: every file written, then the manifest and the swap of site/, then the lock released.
# (The parallel render has its own events: the last on_nav and on_env; see toasoan/mkdocs/parallel.py.)
END_ORDER = (parallel, articles, photos, related, search, feeds, masthead, cms, pagecache, lean, staging, buildlock)

EVENTS = ("startup", "config", "files", "nav", "env", "pre_page", "page_read_source", "page_markdown",
          "page_content", "page_context", "post_page", "post_template", "post_build", "build_error", "shutdown")


def _run(state: SiteBuild, event: str, parts, item=None, **kwargs):
    """Run ``on_<event>(state, …)`` of each part; like MkDocs, a handler's non-None result replaces ``item``."""
    # The handlers of an event, looked up once a build (not once a page: six page events
    # × thirteen stages × every page); a new build (new state) looks them up again.
    key = (event, id(parts))
    handlers = state.handlers.get(key)
    if handlers is None:
        handlers = state.handlers[key] = [h for part in parts if (h := getattr(part, f"on_{event}", None)) is not None]
    for handler in handlers:
        result = handler(state, item, **kwargs) if item is not None else handler(state, **kwargs)
        if result is not None:
            item = result
    return item


class Plugin(BasePlugin):
    """Tòa soạn inside MkDocs: its theme layer, then each stage's handlers.

    MkDocs keeps one object across ``mkdocs serve`` rebuilds (a plugin with
    ``on_startup`` is cached; a hook file is imported once), so only the command
    lives here; everything a build finds is on ``self.state``, new in each ``on_config``.
    """

    def __init__(self):
        super().__init__()
        self.command, self.dirty = "build", False
        self.state: SiteBuild | None = None
        self.session = None   # set by toasoan serve (attach): its memory across changes

    def _current(self) -> SiteBuild:
        if self.state is None:  # an event before on_config (e.g. a failed start): nothing to share
            self.state = SiteBuild(command=self.command, dirty=self.dirty, session=self.session)
        return self.state

    def on_startup(self, *, command, dirty):
        self.command, self.dirty = command, dirty

    @event_priority(100)  # the build lock before anything else; a province's hooks see our settings
    def on_config(self, config):
        if self.state is not None:  # the previous build's leftovers (a serve rebuild)
            photos.retire(self.state)
            staging.retire(self.state)
        self.state = SiteBuild(command=self.command, dirty=self.dirty, session=self.session)
        _use_theme(config)
        return _run(self.state, "config", ORDER, config)

    def on_files(self, files, *, config):
        return _run(self._current(), "files", ORDER, files, config=config)

    @event_priority(-100)  # after a province's own hooks: the pages MkDocs will read are final
    def on_nav(self, nav, *, config, files):
        return parallel.on_nav(self._current(), nav, config=config, files=files)

    def _on_env(self, env, *, config, files):
        return _run(self._current(), "env", ORDER, env, config=config, files=files)

    @event_priority(-100)  # after a province's own on_env: the workers render with the final templates
    def _on_env_render(self, env, *, config, files):
        return parallel.on_env(self._current(), env, config=config, files=files)

    on_env = CombinedEvent(_on_env, _on_env_render)

    # A page served from the page cache skips Markdown and every stage until MkDocs writes it.
    def on_pre_page(self, page, *, config, files):
        state = self._current()
        parallel.show(state)   # MkDocs' reading loop has its list: links to the generated pages resolve
        if not pagecache.lookup(state, page):
            convert.use(state, page, config)   # one Markdown instance for every generated page
        return page

    def on_page_read_source(self, *, page, config):
        state = self._current()
        if pagecache.served(state, page) is not None:
            return pagecache.SOURCE
        return _run(state, "page_read_source", ORDER, page=page, config=config)

    def on_page_markdown(self, markdown, *, page, config, files):
        state = self._current()
        if pagecache.served(state, page) is not None:
            return markdown
        return _run(state, "page_markdown", ORDER, markdown, page=page, config=config, files=files)

    @event_priority(-100)  # after a province's own hooks: the guard sees the final HTML
    def on_page_content(self, html, *, page, config, files):
        state = self._current()
        if pagecache.served(state, page) is not None:
            return html
        return _run(state, "page_content", CONTENT_ORDER, html, page=page, config=config, files=files)

    def on_page_context(self, context, *, page, config, nav):
        state = self._current()
        parallel.show(state)   # MkDocs' writing loop has its list
        if pagecache.served(state, page) is not None:
            return pagecache.serve_context(state, context, page)
        return _run(state, "page_context", ORDER, context, page=page, config=config, nav=nav)

    @event_priority(-100)  # last: minified (lean), its HTML let go (written), then the cache keeps the final bytes
    def on_post_page(self, output, *, page, config):
        state = self._current()
        cached = pagecache.served(state, page)
        if cached is not None:
            # Its post_page handlers ran when it was stored; what one of them learns about this build must
            # still be learnt: a cached article may be the only page loading Material's scripts.
            lean.notice(state, cached, page.file.src_uri)
            return cached
        output = _run(state, "post_page", ORDER, output, page=page, config=config)
        pagecache.store(state, page, output)
        return output

    @event_priority(-100)
    def on_post_template(self, output_content, *, template_name, config):
        return _run(self._current(), "post_template", ORDER, output_content, template_name=template_name,
                    config=config)

    @event_priority(-100)  # after a province's own hooks wrote their files: they go in the manifest
    def on_post_build(self, *, config):
        _run(self._current(), "post_build", END_ORDER, config=config)

    def on_build_error(self, *, error):
        _run(self._current(), "build_error", END_ORDER, error=error)

    def on_shutdown(self):
        _run(self._current(), "shutdown", END_ORDER)


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


def attach(config, session) -> Plugin | None:
    """The Plugin serving ``config`` (as a hook file or a plugin), told of ``session``."""
    for item in config.plugins.values():
        found = item if isinstance(item, Plugin) else getattr(getattr(item, "on_config", None), "__self__", None)
        if isinstance(found, Plugin):
            found.session = session
            return found
    return None


def hooks() -> dict:
    """``on_*`` functions of one new Plugin, for a site's ``hooks/`` file.

    MkDocs imports a hook file once per process, so this object serves every build
    of that file; each build still gets its own state (``Plugin.on_config``).
    """
    plugin = Plugin()
    return {f"on_{event}": getattr(plugin, f"on_{event}") for event in EVENTS}
