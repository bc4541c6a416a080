"""Headless Chromium helpers shared by the browser tests and bench/bench_pages.py.

Debian's /usr/bin/chromium is driven by Python Playwright (no browser download).
``transfer(browser, url)`` opens a page in a fresh, cache-less context and
returns what went over the wire, per request, as Chromium counts it
(``encodedDataLength``: compressed body plus response headers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def new_context(browser, viewport: dict = DESKTOP, **kwargs):
    """A context at ``viewport``; phones get touch and a mobile user agent, like the real thing."""
    phone = viewport["width"] < 600
    return browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone,
                               locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **kwargs)


@dataclass
class Transfer:
    """Everything one page load fetched."""

    url: str
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # (url, type, bytes)
    asked: list[str] = field(default_factory=list)  # every URL requested, answered or not

    def bytes(self, *, images: bool = False) -> int:
        return sum(n for _, kind, n in self.requests if images or kind != "Image")

    def by_type(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, kind, n in self.requests:
            out[kind] = out.get(kind, 0) + n
        return out

    def hosts(self) -> set[str]:
        """Every host the page asked for something (data: URLs are not requests)."""
        return {urlsplit(u).netloc for u in self.asked if not u.startswith(("data:", "blob:"))}


def transfer(browser, url: str, viewport: dict = DESKTOP) -> Transfer:
    """Load ``url`` with an empty cache and count the bytes of every response."""
    context = new_context(browser, viewport)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    seen: dict[str, tuple[str, str]] = {}
    result = Transfer(url)

    def on_response(event):
        seen[event["requestId"]] = (event["response"]["url"], event.get("type", "Other"))

    def on_finished(event):
        if event["requestId"] in seen:
            u, kind = seen[event["requestId"]]
            result.requests.append((u, kind, int(event["encodedDataLength"])))

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    page.on("request", lambda request: result.asked.append(request.url))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)  # let the last CDP events arrive
    context.close()
    return result
