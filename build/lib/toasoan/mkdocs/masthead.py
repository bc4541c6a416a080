"""MkDocs hook: the build's clock for the masthead ("Thứ Tư, 25/11/2026").

The date is printed by the build (the site is rebuilt every hour), using the
same clock as the articles hook, so TOASOAN_NOW pins it in tests too.
"""

from __future__ import annotations


from toasoan.core.dates import now_in
from toasoan.core.config import SiteConfig


def on_env(env, config, files):
    site = config.extra.get("bulletin_site") or SiteConfig.from_dict(config.extra.get("bulletin"))
    env.globals["build_now"] = now_in(site)
    env.globals["bulletin_tz"] = site.timezone
    return env
