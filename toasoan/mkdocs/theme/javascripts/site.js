/* Tòa soạn: the small script every page shares (loaded with defer, cached by the browser).
   The reader's light/dark choice and text size are applied before the page paints by the
   inline script at the top of partials/header.html; this file adds what needs a click.
   The buttons that need a click (light/dark, share, text size) are made here: without
   JavaScript there are none, and the page works as printed. */
(function () {
  var doc = document, body = doc.body;
  function store(key, value) { try { localStorage.setItem(key, value) } catch (e) {} }

  /* Text size (A−/A+ under an article): five steps (-1 to 3), kept in localStorage; each
     step's scale is in bulletin.css ([data-ts-size]). */
  function size() { var n = 0; try { n = Number(localStorage.getItem("ts-size")) || 0 } catch (e) {} return Math.max(-1, Math.min(3, n)) }
  window.tsTextSize = {
    get: size,
    set: function (n) { store("ts-size", String(n)); doc.documentElement.setAttribute("data-ts-size", n) }
  };

  /* Build a small piece of markup: el("button", {type: "button"}, "text"). */
  function el(tag, attrs, text) {
    var e = doc.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }

  /* The light/dark switch, added to the masthead here: it needs this script, so a page
     without JavaScript has no button that does nothing. A real <button> with its visible
     name ("Nền tối") and aria-pressed: Tab reaches it, Enter and Space press it. */
  var tools = doc.querySelector(".ts-masthead__tools");
  if (tools) {
    var scheme = el("button", {type: "button", "class": "ts-scheme", "data-ts-scheme": ""});
    scheme.appendChild(el("span", {"class": "ts-icon ts-icon--moon", "aria-hidden": "true"}));
    scheme.appendChild(el("span", {}, "Nền tối"));
    var sync = function () { scheme.setAttribute("aria-pressed", body.getAttribute("data-md-color-scheme") === "slate") };
    sync(); tools.appendChild(scheme);
    scheme.addEventListener("click", function () {
      var s = body.getAttribute("data-md-color-scheme") === "slate" ? "default" : "slate";
      body.setAttribute("data-md-color-scheme", s); store("ts-scheme", s); sync();
    });
  }

  /* A page built before midnight shows the reader today's date, not the build's. */
  var today = doc.querySelector("[data-ts-today]");
  if (today && window.Intl) {
    try {
      var d = new Intl.DateTimeFormat("en-CA", {timeZone: today.getAttribute("data-ts-today") || "Asia/Ho_Chi_Minh",
        year: "numeric", month: "2-digit", day: "2-digit"}).format(new Date());
      if (/^\d{4}-\d\d-\d\d$/.test(d) && d !== today.getAttribute("datetime")) {
        var p = d.split("-"), w = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"][new Date(d + "T00:00:00Z").getUTCDay()];
        today.textContent = w + ", " + p[2] + "/" + p[1] + "/" + p[0]; today.setAttribute("datetime", d);
      }
    } catch (e) {}
  }

  /* Under an article's byline: share it, or copy its link; change the text size. Built
     here, not shipped in every page: the address is the page's canonical link (the page's
     own address in a preview without site_url), the title its heading. Facebook and Zalo
     are plain links to their share pages, only for a page with a public address. On paper
     the tools give way to that address (print CSS, attr(data-url)). */
  var byline = doc.querySelector(".ts-article > .ts-byline");
  if (!byline) return;
  var canonical = doc.querySelector('link[rel="canonical"]');
  var url = canonical ? canonical.href : location.href.split("#")[0];
  var heading = doc.querySelector(".ts-article h1"), title = heading ? heading.textContent.trim() : doc.title;
  var box = el("div", {"class": "ts-tools", "data-url": url});
  var share = box.appendChild(el("div", {role: "group", "aria-label": "Chia sẻ bài viết"}));
  var btn = share.appendChild(el("button", {type: "button", "data-ts-share": ""}, navigator.share ? "Chia sẻ" : "Sao chép liên kết"));
  if (canonical) {
    share.appendChild(el("a", {href: "https://www.facebook.com/sharer/sharer.php?u=" + encodeURIComponent(url), target: "_blank", rel: "noopener"}, "Facebook"));
    share.appendChild(el("a", {href: "https://sp.zalo.me/share_inline?url=" + encodeURIComponent(url), target: "_blank", rel: "noopener"}, "Zalo"));
  }
  var status = share.appendChild(el("span", {role: "status"}));
  var sizes = box.appendChild(el("div", {role: "group", "aria-label": "Cỡ chữ", "data-ts-size": ""}));
  sizes.appendChild(el("button", {type: "button", "data-ts-size-step": "-1", "aria-label": "Chữ nhỏ hơn"}, "A−"));
  sizes.appendChild(el("button", {type: "button", "data-ts-size-step": "1", "aria-label": "Chữ lớn hơn"}, "A+"));
  byline.after(box);
  function say(t) { status.textContent = t }
  /* Older browsers, or a page opened without a secure context: select the text and copy it. */
  function fallback() {
    var t = doc.createElement("textarea"); t.value = url; t.setAttribute("readonly", "");
    t.style.position = "fixed"; t.style.opacity = "0"; body.appendChild(t); t.select();
    var ok = false; try { ok = doc.execCommand("copy") } catch (e) {} body.removeChild(t);
    say(ok ? "Đã sao chép liên kết bài viết." : "Hãy sao chép địa chỉ này: " + url);
  }
  function copy() {
    if (navigator.clipboard && navigator.clipboard.writeText)
      return navigator.clipboard.writeText(url).then(function () { say("Đã sao chép liên kết bài viết.") }, fallback);
    fallback();
  }
  btn.addEventListener("click", function () {
    if (navigator.share) navigator.share({title: title, url: url}).then(function () { say("") }, function (e) { if (!e || e.name !== "AbortError") copy() });
    else copy();
  });
  sizes.addEventListener("click", function (e) {
    var s = e.target.closest("[data-ts-size-step]");
    if (s) tsTextSize.set(Math.max(-1, Math.min(3, tsTextSize.get() + Number(s.getAttribute("data-ts-size-step")))));
  });
})();
