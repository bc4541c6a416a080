"""``toasoan serve``: the site in a browser, each page rendered when it is asked for.

``mkdocs serve`` rebuilds every page after each save (32–41 s at 2,000 articles).
Here MkDocs' own build steps run once, up to ``on_env`` (configuration, files,
navigation, the archive read and related); a page is then rendered only when a
browser asks for it, by MkDocs' own ``_populate_page`` + ``_build_page`` (the path
``mkdocs build`` takes, so preview and build give the same HTML), and kept until
the next change. A change re-runs those steps, reading again only the files that
changed (``ReadCache``). What needs the whole archive and is slow — "Xem thêm",
the search index, feeds, photo renditions — catches up in the background (a thread
waits for photo renditions and forks a niced process for the rest), then open pages
reload once more.

The server is MkDocs' ``LiveReloadServer`` (its long-poll reload script), watching
with inotify rather than by polling every file twice a second.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.commands.build import (_build_extra_template, _build_page, _build_theme_template,
                                   _populate_page, get_context)
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer, _timestamp
from mkdocs.structure.files import Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from toasoan.core.dates import now_in
from toasoan.core.model import SCHEDULED
from toasoan.core.problems import ERROR, shown_path
from toasoan.core.workers import die_with_parent
from toasoan.reading.reader import NOT_SOURCES, ReadCache
from toasoan.search import parallel as search_parallel

from . import buildlock, pagecache, photos, plugin, related

log = logging.getLogger("mkdocs.toasoan.preview")
PROBLEMS_TEMPLATE = "preview-problems.html"
SHOWN = InclusionLevel.is_in_serve   # like mkdocs serve: docs/ drafts are shown too
_WRITES = {watchdog.events.EVENT_TYPE_CREATED, watchdog.events.EVENT_TYPE_MODIFIED,
           watchdog.events.EVENT_TYPE_DELETED, watchdog.events.EVENT_TYPE_MOVED,
           watchdog.events.EVENT_TYPE_CLOSED}


class Session:
    """What a preview remembers from one change to the next (``SiteBuild.session``)."""

    def __init__(self):
        self.reads = ReadCache()
        self.related: dict[Path, list[Path]] = {}   # last ranked "Xem thêm", by article file
        self.urls: dict[str, str] = {}   # shown path of each article file -> its last URL
        self.shown: dict[Path, str] = {}  # article file -> its shown path (slow to make: 0.1 ms each)
        self.files: dict[tuple, object] = {}   # MkDocs' File of each generated page (articles.on_files)

    def forget(self) -> None:
        """New settings: every article is read again and every generated file made again."""
        self.reads.clear()
        self.files.clear()

    def carried_related(self, build) -> dict:
        """The last ranked lists, on this build's articles, until the new ranking is done."""
        by_path = {a.path: a for a in build.shown}
        return {a: [t for p in self.related.get(a.path, ()) if (t := by_path.get(p)) is not None]
                for a in build.shown}

    def remember(self, build) -> None:
        if build.related:
            self.related = {a.path: [t.path for t in ts] for a, ts in build.related.items()}


class Preview:
    """One site, served: the state of its last read and the pages rendered since."""

    def __init__(self, config_file: Path, host: str, port: int):
        self.config_file = Path(config_file).resolve()
        self.host, self.port = host, port
        self.site_dir = tempfile.mkdtemp(prefix="toasoan-xem-truoc-")
        self.session = Session()
        self.lock = threading.RLock()   # one refresh or one render at a time
        self.generation = 0
        self.rendered: set[str] = set()
        self.problems: dict[str, list] = {}   # page URL -> the errors of its article file
        self.all_errors: list = []
        self.config = self.state = self.files = self.nav = self.env = None
        self.pages: dict[str, str] = {}    # output path (a/b/index.html) -> source path
        self.not_found_html: bytes | None = None
        self.doc_files = []
        self._config_key = None
        self._theme_names = None   # the theme's static files, listed once per settings
        self._saves = 0
        self._compiled = _Compiled()
        self._started = False
        self._timer: threading.Timer | None = None
        self._catchup = threading.Condition()
        self._job = None
        self.child: int | None = None   # the catch-up process of the newest state
        self.stopping = False
        self.server: Server | None = None
        self.last_refresh = {}

    # -- reading -------------------------------------------------------------------------
    def _load(self):
        config = load_config(config_file=str(self.config_file), site_dir=self.site_dir)
        config.dev_addr = f"{self.host}:{self.port}"
        # The settings as MkDocs resolved them: a change in a file named by INHERIT: (or in
        # an !ENV value) counts, not only mkdocs.yml's own bytes.
        key = pagecache.settings_key(config)
        if key != self._config_key:   # new settings (sections, places…): read every article again
            self.session.forget()
            self._compiled = _Compiled()   # another theme, other Jinja options: compiled anew
            self._theme_names = None
            self._config_key = key
        return config

    def refresh(self) -> None:
        """Read the site again; on an error (a broken mkdocs.yml…) keep serving the last good state."""
        # No cyclic garbage collection while a change is read: it makes hundreds of thousands
        # of objects, each collection walked the whole archive again (a third of a save at
        # 10,000 articles). After each read, what it made is frozen out of later collections
        # (gc.freeze, as CPython's docs suggest for a long-lived state): the last state is
        # freed by reference counting (_let_go), so only a few hundred cyclic objects of
        # each save (MkDocs' Markdown set-up) wait for the full collection every 100th save.
        self._saves += 1
        if self._saves % 100 == 0:
            gc.unfreeze()
            gc.collect()
        gc.disable()
        try:
            self._refresh()
        except Exception as e:  # noqa: BLE001 — MkDocs' Abort, or a stage's error: said once, in Vietnamese
            if self.config is None:
                raise   # nothing to serve yet
            log.error(f"Xem trước: không đọc lại được trang: {e} — trang vẫn hiện bản trước; "
                      "Cách sửa: sửa lỗi trên rồi lưu lại")
        finally:
            gc.enable()
            gc.freeze()

    def _refresh(self) -> None:
        """Run MkDocs' build steps up to on_env; render no page (each is rendered when asked for)."""
        started, cpu = time.perf_counter(), time.process_time()
        with self.lock:
            self.generation += 1
            self._stop_child()
            config = self._load()
            found = plugin.attach(config, self.session)
            if not self._started:
                config.plugins.on_startup(command="serve", dirty=False)
                self._started = True
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            files = get_files(config)
            env = config.theme.get_env()
            env.bytecode_cache = self._compiled   # templates compiled once, not after every save
            self._add_theme_files(files, env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            state = found.state if found is not None else None
            generated = state.pages if state is not None else {}
            # The menu from the pages it names; an article's or listing's Page is made when
            # it is asked for (making 17,000 of them took a second at 10,000 articles).
            named = set(_nav_sources(config.nav))
            nav = get_navigation(Files([f for f in files if f.src_uri not in generated or f.src_uri in named]),
                                 config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            doc_files = files.documentation_pages(inclusion=SHOWN)
            # Pages in the menu first, as a build reads all pages before rendering any:
            # their titles appear on every page.
            for page in nav.pages:
                if SHOWN(page.file.inclusion):
                    _populate_page(page, config, files)
            env = config.plugins.on_env(env, config=config, files=files)
            files.copy_static_files(dirty=self.config is not None, inclusion=SHOWN)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, nav)
            self._forget_pages()
            _let_go(self.env)
            self.config, self.files, self.nav, self.env = config, files, nav, env
            self.state = state
            self.doc_files = doc_files
            self.pages = {file.dest_uri: file.src_uri for file in doc_files}   # output path -> source
            self.not_found_html = None
            self._index_problems()
            self._schedule_status_change()
            generation = self.generation
        self.last_refresh = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
        log.info(f"Xem trước: đọc lại trong {self.last_refresh['seconds']:.2f} giây"
                 + (f" ({self.session.reads.misses} tệp đọc lại)" if self.state else ""))
        self.session.reads.misses = 0
        self._start_catchup(generation)

    def _add_theme_files(self, files, env, config) -> None:
        """MkDocs' add_files_from_theme, with the theme's file list listed once per settings.

        Listing walks every theme folder and matches each name against a dozen patterns
        (Material's icons: thousands of files), a tenth of a save at 10,000 articles. A
        file added to a theme folder while serving shows after a restart, as with
        ``mkdocs serve``, which does not watch the theme either.
        """
        listed = env.list_templates

        def list_once(extensions=None, filter_func=None):
            if self._theme_names is None:
                self._theme_names = listed(extensions=extensions, filter_func=filter_func)
            return self._theme_names

        env.list_templates = list_once   # on this instance only, for this one call
        try:
            files.add_files_from_theme(env, config)
        finally:
            del env.list_templates

    def _forget_pages(self) -> None:
        """Drop the pages rendered from the previous state (a deleted article must 404)."""
        for dest in self.rendered:
            try:
                os.unlink(os.path.join(self.site_dir, dest))
            except OSError:
                pass
        self.rendered.clear()

    def _index_problems(self) -> None:
        """Which page shows which errors: an article's last URL shows its file's errors."""
        build = self.state.build if self.state is not None else None
        self.problems, self.all_errors = {}, []
        if build is None:
            return
        shown = self.session.shown
        for article in build.articles:
            name = shown.get(article.path)
            if name is None:
                name = shown[article.path] = shown_path(article.path)
            self.session.urls[name] = article.url
        self.all_errors = [p for p in build.problems.sorted() if p.level == ERROR]
        for problem in self.all_errors:
            url = self.session.urls.get(problem.path)
            if url is not None:
                self.problems.setdefault(url + "index.html", []).append(problem)

    def _schedule_status_change(self) -> None:
        """Read again when the next scheduled article's time comes: its status changes."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        build = self.state.build if self.state is not None else None
        if build is None or self.server is None:
            return
        now = now_in(build.site)
        coming = [a.date for a in build.articles if a.status == SCHEDULED and a.date > now]
        if coming:
            wait = min((min(coming) - now).total_seconds() + 1, 86400)
            self._timer = threading.Timer(wait, self.server.changed)
            self._timer.daemon = True
            self._timer.start()

    # -- rendering on request --------------------------------------------------------------
    def page(self, dest: str) -> bytes | None:
        """The HTML of the page at ``dest`` (e.g. ``2022/01/slug/index.html``), rendered if need be.

        None: no page of the site there (a static file, or nothing: the server looks).
        """
        with self.lock:
            if dest not in self.rendered:
                if dest in self.problems:
                    base = get_relative_url(".", dest.removesuffix("index.html"))
                    self._write(dest, self._problems_html(self.problems[dest], base))
                elif (file := self._file(dest)) is not None:
                    if file.page is None:
                        Page(None, file, self.config)
                    _populate_page(file.page, self.config, self.files)
                    _build_page(file.page, self.config, self.doc_files, self.nav, self.env,
                                excluded=file.inclusion.is_excluded())
                    self.rendered.add(dest)
                else:
                    return None
            try:
                return Path(self.site_dir, dest).read_bytes()
            except OSError:   # MkDocs wrote nothing (an empty page)
                return None

    def _file(self, dest: str):
        src_uri = self.pages.get(dest)
        file = self.files.get_file_from_path(src_uri) if src_uri is not None else None
        return file if file is not None and SHOWN(file.inclusion) else None

    def _write(self, dest: str, html: str) -> None:
        path = Path(self.site_dir, dest)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        self.rendered.add(dest)

    def _problems_html(self, problems: list, base_url: str) -> str:
        """The page shown in place of an article with errors: each one with file:line and the fix."""
        context = get_context(self.nav, self.doc_files, self.config, base_url=base_url)
        context["problems"] = problems
        return self.env.get_template(PROBLEMS_TEMPLATE).render(context)

    def not_found(self) -> bytes | None:
        """The 404 page; while articles have errors, the list of them (a new article with errors has no page)."""
        with self.lock:
            if self.all_errors and self.env is not None:
                # Absolute links, as MkDocs gives its 404 page: it is served at any address.
                base = urlsplit(self.config.site_url or "/").path
                return self._problems_html(self.all_errors, base).encode("utf-8")
            if self.not_found_html is None and self.env is not None:   # made when first needed
                for template in self.config.theme.static_templates:
                    _build_theme_template(template, self.env, self.files, self.config, self.nav)
                page = Path(self.site_dir, "404.html")
                self.not_found_html = page.read_bytes() if page.is_file() else b""
            return self.not_found_html or None

    # -- catching up in the background --------------------------------------------------------
    def _start_catchup(self, generation: int) -> None:
        with self._catchup:
            self._job = generation
            self._catchup.notify_all()

    def catchup_loop(self) -> None:
        """Photos, "Xem thêm", search, feeds for the newest state; a newer change cancels the rest."""
        while True:
            with self._catchup:
                self._catchup.wait_for(lambda: self._job is not None)
                generation, self._job = self._job, None
            if generation is None or generation < 0:
                return
            with self.lock:
                state, config = self.state, self.config
            if state is None or state.build is None or generation != self.generation:
                continue
            try:
                photos.on_post_build(state, config)   # waits for the encoding processes only
                ranked, child = self._catch_up(state, config)
                with self.lock:
                    current = generation == self.generation and ranked is not None
                    if current:
                        state.build.related = ranked
                        self.session.remember(state.build)
                        self._forget_pages()
                if current and self.server is not None:
                    self.server.reload_browsers()
                done = _reap(child)
                buildlock.on_post_build(state, config)
                if current and done:
                    log.info("Xem trước: đã cập nhật Xem thêm, tìm kiếm, nguồn tin và ảnh.")
            except Exception as e:  # noqa: BLE001 — a newer change stopped it, or it is reported once
                if generation == self.generation:
                    log.warning(f"Xem trước: chưa cập nhật được Xem thêm/tìm kiếm/ảnh: {e}")

    def _catch_up(self, state, config) -> tuple[dict | None, int | None]:
        """Rank "Xem thêm", then write search, feeds… in a forked process at low priority.

        Forked because ranking (6 s of CPU at 10,000 articles) and the search index would
        hold this process's interpreter lock and a save meanwhile would wait for them;
        niced, so the reporter's next save goes first. Returns the ranking (as soon as
        it is sent; the child goes on with the rest) and the child's process id.
        """
        rest = tuple(p for p in plugin.END_ORDER if p not in (photos, buildlock))
        shown = state.build.shown
        if not hasattr(os, "fork"):
            related.rank(state.build)
            plugin._run(state, "post_build", rest, config=config)
            return state.build.related, None
        with self.lock:   # never after stop(), nor for a state already replaced
            if self.stopping or state is not self.state:
                return None, None
            read, write = os.pipe()
            me = os.getpid()
            pid = os.fork()
            if pid != 0:
                self.child = pid
        if pid == 0:   # the child: never returns
            code = 1
            try:
                die_with_parent(me)   # a killed server leaves no catch-up running
                os.close(read)
                os.setpgid(0, 0)   # one group: search's own workers are stopped with it
                os.nice(10)
                if self.server is not None:
                    self.server.socket.close()   # the port is the parent's alone
                # The search index alone in this process: workers forked from a fork of the
                # threaded server hung on a lock another thread held (seen at 10,000 articles).
                search_parallel.PARALLEL_MIN = float("inf")
                related.rank(state.build)
                where = {id(a): i for i, a in enumerate(shown)}
                lists = [[where[id(t)] for t in state.build.related.get(a, []) if id(t) in where] for a in shown]
                with os.fdopen(write, "wb") as out:
                    out.write(json.dumps(lists).encode("ascii"))
                plugin._run(state, "post_build", rest, config=config)
                code = 0
            except BaseException as e:  # noqa: BLE001
                log.warning(f"Xem trước: chưa cập nhật được Xem thêm/tìm kiếm: {e}")
            finally:
                os._exit(code)
        os.close(write)
        with os.fdopen(read, "rb") as source:
            data = source.read()
        if not data:   # stopped by a newer change
            return None, pid
        lists = json.loads(data)
        return {a: [shown[i] for i in lists[k]] for k, a in enumerate(shown)}, pid

    def _stop_child(self) -> None:
        """Stop the catch-up of an older state (and its workers): its results are already stale."""
        child, self.child = self.child, None
        if child is not None:
            try:
                os.killpg(child, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._catchup:
            self._job = -1
            self._catchup.notify_all()
        with self.lock:
            self.stopping = True
            child = self.child
            self._stop_child()
        _reap(child)
        with self.lock:
            if self.state is not None:
                photos.retire(self.state)
            if self.config is not None:
                self.config.plugins.on_shutdown()
        shutil.rmtree(self.site_dir, ignore_errors=True)


def _let_go(env) -> None:
    """Free the last state by reference counting, not by the cyclic collector.

    A Jinja environment is a cycle (templates ↔ environment) and its globals and filters
    hold the stages' closures over the build: everything the last save read (700,000
    objects at 100,000 articles) stayed until a full collection, a second of CPU in the
    middle of the next save. Cut, it goes at once. Nothing renders with it any more (a
    page is rendered under the lock, with the newest environment).
    """
    if env is not None:
        env.globals.clear()
        env.filters.clear()
        env.tests.clear()
        if env.cache is not None:
            env.cache.clear()


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates in memory, for each save's new Jinja environment.

    A save makes a new environment (a stage's on_env binds this state's archive to it),
    and compiling the theme's templates again was a fifth of a save. Jinja checks each
    entry against its template's source: an edited template is compiled again.
    """

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (data := self.store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def _reap(child: int | None) -> bool:
    """Wait for a catch-up process; True if it finished its work."""
    if child is None:
        return True
    try:
        _, status = os.waitpid(child, 0)
    except ChildProcessError:
        return False
    return os.waitstatus_to_exitcode(status) == 0


def config_files(config_file: Path) -> list[Path]:
    """mkdocs.yml and each file its ``INHERIT:`` chain names (MkDocs merges them in that order).

    Read by a line match, not by YAML: a half-saved file must not stop the preview, and
    MkDocs itself takes ``INHERIT`` only as a top-level key.
    """
    found, path = [], Path(config_file).resolve()
    while path not in found and path.is_file():
        found.append(path)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            break
        match = _INHERIT.search(text)
        if match is None:
            break
        path = (path.parent / match.group(1).strip().strip("'\"")).resolve()
    return found


_INHERIT = re.compile(r"^INHERIT:[ \t]*([^#\n]+)", re.MULTILINE)


def _nav_sources(items):
    """Every page file the ``nav:`` setting names."""
    if isinstance(items, str):
        yield items
    elif isinstance(items, dict):
        for value in items.values():
            yield from _nav_sources(value)
    elif isinstance(items, list):
        for value in items:
            yield from _nav_sources(value)


class Server(LiveReloadServer):
    """MkDocs' live-reload server, asking ``preview`` for each page before serving it."""

    def __init__(self, preview: Preview, mount_path: str):
        self.preview = preview
        super().__init__(builder=preview.refresh, host=preview.host, port=preview.port,
                         root=preview.site_dir, mount_path=mount_path)
        # inotify: polling stats every file twice a second (100,000 articles: a core busy).
        self.observer = watchdog.observers.Observer()
        self.build_delay = 0.05   # an editor's save is one or two events close together
        self.error_handler = lambda code: preview.not_found() if code == 404 else None

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if (path + "/").startswith(self.mount_path) and not path.startswith("/livereload/"):
            dest = path[len(self.mount_path):]
            if dest == "" or dest.endswith("/"):
                dest += "index.html"
            if ".." not in dest.split("/"):
                with self._epoch_cond:   # not while a change is being read
                    self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                    epoch = self._visible_epoch
                # Rendered and read under the preview's lock: a change cannot swap it half-way.
                content = self.preview.page(dest)
                if content is not None:
                    content = self._inject_js_into_html(content, epoch)
                    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(content)))])
                    return [content]
        return super()._serve_request(environ, start_response)

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        """Watch ``path`` (a folder, or one file such as mkdocs.yml) for writes only.

        Not MkDocs' own: with inotify it would also wake up on files merely opened
        (reading a changed article would read the site again, and again), and a
        file's watch would cover its whole folder (.cache/ is written by every read).
        """
        path = os.path.abspath(path)
        if path in self._watched_paths:
            return
        self._watched_paths[path] = 1
        one_file = os.path.isfile(path)

        def callback(event):
            if event.is_directory or event.event_type not in _WRITES:
                return
            paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
            if all(os.path.basename(p).startswith(NOT_SOURCES) for p in paths):
                return   # an editor's lock file (Emacs' .#bai.md) comes and goes with each edit
            if one_file and path not in paths:
                return
            self.changed()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback
        self._watch_refs[path] = self.observer.schedule(handler, os.path.dirname(path) if one_file else path,
                                                        recursive=not one_file)

    def changed(self) -> None:
        """Read the site again, as if a file had changed."""
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def reload_browsers(self) -> None:
        """Open pages reload (the catch-up changed them), unless a change being read will do it."""
        with self._epoch_cond:
            if self._visible_epoch == self._wanted_epoch:
                self._wanted_epoch = self._visible_epoch = _timestamp()
                self._epoch_cond.notify_all()


def serve(config_file: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the site until interrupted (Ctrl-C, or SystemExit from a signal handler)."""
    preview = Preview(config_file, host, port)
    try:
        started = time.perf_counter()
        preview.refresh()
        config = preview.config
        mount_path = urlsplit(config.site_url or "/").path or "/"
        server = preview.server = Server(preview, mount_path)
        preview._schedule_status_change()
        server.watch(config.docs_dir)
        for settings_file in config_files(preview.config_file):   # mkdocs.yml and what it INHERITs
            server.watch(str(settings_file))
        site = preview.state.site if preview.state is not None else None
        root = preview.config_file.parent
        # Articles and photos always, whatever `watch:` lists (watching one twice is harmless).
        folders = [root / site.articles_dir, root / site.images_dir] if site is not None else []
        for item in [*config.watch, *map(str, folders)]:
            if os.path.exists(item):
                server.watch(item)
        threading.Thread(target=preview.catchup_loop, daemon=True, name="toasoan-catchup").start()
        log.info(f"Xem trước sẵn sàng sau {time.perf_counter() - started:.1f} giây")
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Dừng xem trước…")
        finally:
            server.shutdown()
    finally:
        preview.stop()
