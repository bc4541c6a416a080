"""MkDocs stage: work the page templates did on every page, done once a build instead.

Same HTML: only where a value is computed changes.

- ``lang``: Material's language partial (``partials/language.html``, or a province's own
  copy), imported once a build. base.html imported it "with context" on every page, which
  made three template modules a page (it imports the language's strings and English's);
  its macro reads only ``config`` (the theme's language). A global of the same name, so
  Material's partials and a province's, which use base.html's ``lang`` without importing
  it, still find it.
- ``ts_lang``: the two strings of it base.html prints (``<html lang>``, ``<body dir>``),
  so no page calls the macro, which builds its table of some 150 strings on each call.
- Jinja's template cache as a plain dict for a build: every ``include`` and ``import``
  (about 20 a page: cards, thumbnails, header, footer) looks its template up in
  Jinja's LRU cache, which takes a lock and reorders its queue on each hit. A build
  loads a few dozen templates, all compiled before the pages (``parallel._compile``);
  MkDocs already turns off Jinja's reload check (``auto_reload=False``), so a template
  is never loaded twice either way. ``mkdocs serve`` keeps Jinja's cache.
"""

from __future__ import annotations

LANGUAGE = "partials/language.html"   # Material's, or a province's own copy


def on_env(state, env, config, files):
    # The partial's macros read only `config` (the theme's language) from the page's context.
    strings = env.get_template(LANGUAGE).make_module({"config": config})
    env.globals["lang"] = strings
    env.globals["ts_lang"] = {"language": str(strings.t("language")), "direction": str(strings.t("direction"))}
    if state.command in ("build", "gh-deploy") and env.cache is not None and not isinstance(env.cache, dict):
        env.cache = dict(env.cache.items())
    return env
