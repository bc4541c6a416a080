"""Turn an archive of our articles into a minimal Hugo site, for comparison only.

The layout is deliberately small but does comparable work: article pages with
5 related articles (Hugo's related content on tags, section, place and date),
paginated lists per section, tag, author and place, and a home page.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

CONFIG = """\
baseURL = "https://example.org/"
languageCode = "vi"
title = "Bản tin (Hugo, đối chứng)"
paginate = 20
disableKinds = ["RSS"]

[taxonomies]
  tag = "tags"
  category = "categories"
  author = "authors"
  location = "locations"

[related]
  includeNewer = true
  threshold = 80
  toLower = false
  [[related.indices]]
    name = "tags"
    weight = 100
  [[related.indices]]
    name = "categories"
    weight = 50
  [[related.indices]]
    name = "locations"
    weight = 30
  [[related.indices]]
    name = "date"
    weight = 10
"""

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }} – {{ .Site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Taxonomies.categories }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
</header><main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "02/01/2006 15:04" }} ·
{{ range .GetTerms "authors" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }} ·
{{ range .GetTerms "locations" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>
{{ .Content }}
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</p>
</article>
{{ with .Site.RegularPages.Related . | first 5 }}<aside><h2>Tin liên quan</h2><ul>
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></aside>{{ end }}
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "02/01/2006" }} – {{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}{{ range first 5 .Site.RegularPages.ByDate.Reverse }}
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p>{{ end }}
{{ range .Site.Taxonomies.categories }}<section><h2>{{ .Page.Title }}</h2>
{{ range first 5 .Pages }}<p><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}</section>{{ end }}
{{ end }}
""",
}


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def convert(articles: Path, dest: Path) -> int:
    """Write a Hugo site for every article below ``articles``; return the count."""
    (dest / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (dest / "config.toml").write_text(CONFIG, encoding="utf-8")
    for rel, text in LAYOUTS.items():
        path = dest / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    count = 0
    for src in sorted(articles.rglob("*.md")):
        _, head, body = src.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(head, Loader=yaml.BaseLoader)  # strings only, as our reader does
        day = meta["date"].replace(" ", "T") + ":00+07:00"
        front = {
            "title": meta["title"], "date": day, "url": f"/{day[:4]}/{day[5:7]}/{src.stem}/",
            "authors": _as_list(meta.get("author")), "locations": _as_list(meta.get("location")),
            "categories": _as_list(meta.get("category")), "tags": _as_list(meta.get("tags")),
        }
        if meta.get("summary"):
            front["summary"] = meta["summary"]
        # JSON front-matter: no quoting surprises, and Hugo reads it natively.
        out = dest / "content" / "posts" / f"{day[:4]}-{day[5:7]}-{src.stem}.md"
        out.write_text(json.dumps(front, ensure_ascii=False, indent=1) + "\n" + body, encoding="utf-8")
        count += 1
    return count
