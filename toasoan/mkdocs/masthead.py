"""MkDocs hook: the build's clock for the masthead ("Thứ Tư, 25/11/2026").

The date is printed by the build (the site is rebuilt every hour), using the
same clock as the articles hook, so TOASOAN_NOW pins it in tests too.
"""

from __future__ import annotations


from toasoan.core.dates import now_in


def on_env(state, env, config, files):
    site = state.site   # checked by articles.on_config, which runs first
    env.globals["build_now"] = now_in(site)
    env.globals["bulletin_tz"] = site.timezone
    return env
