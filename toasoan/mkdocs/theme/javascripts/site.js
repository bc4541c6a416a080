/* Tòa soạn: the small script every page shares (loaded with defer, cached by the browser).
   The reader's light/dark choice and text size are applied before the page paints by the
   inline script at the top of partials/header.html; this file adds what needs a click.
   Without JavaScript the buttons stay hidden and the page works as printed. */
(function () {
  var doc = document, body = doc.body;
  function store(key, value) { try { localStorage.setItem(key, value) } catch (e) {} }

  /* Text size (A−/A+ under an article): five steps, kept in localStorage. */
  var scales = [.9, 1, 1.15, 1.3, 1.5];
  function size() { var n = 0; try { n = Number(localStorage.getItem("ts-size")) || 0 } catch (e) {} return Math.max(-1, Math.min(3, n)) }
  window.tsTextSize = {
    get: size,
    set: function (n) { store("ts-size", String(n)); doc.documentElement.style.setProperty("--ts-scale", scales[n + 1]) }
  };

  /* The light/dark switch in the masthead. */
  var scheme = doc.querySelector("[data-ts-scheme]");
  if (scheme) {
    var sync = function () { scheme.setAttribute("aria-pressed", body.getAttribute("data-md-color-scheme") === "slate") };
    sync(); scheme.hidden = false;
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

  /* Under an article: share it, or copy its link; change the text size. The address is
     written once, in data-url (partials/article-tools.html): the Facebook and Zalo links
     end with their parameter's "=" and get it here, then show. */
  var box = doc.querySelector(".ts-tools");
  if (!box) return;
  var url = box.getAttribute("data-url") || location.href.split("#")[0], title = box.getAttribute("data-title");
  var btn = box.querySelector("[data-ts-share]"), status = box.querySelector("[role=status]");
  box.querySelectorAll('a[href$="="]').forEach(function (a) { a.href += encodeURIComponent(url); a.hidden = false; });
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
  if (!navigator.share) btn.textContent = "Sao chép liên kết";
  btn.hidden = false;
  btn.addEventListener("click", function () {
    if (navigator.share) navigator.share({title: title, url: url}).then(function () { say("") }, function (e) { if (!e || e.name !== "AbortError") copy() });
    else copy();
  });
  var sizes = box.querySelector("[data-ts-size]");
  sizes.hidden = false;
  sizes.addEventListener("click", function (e) {
    var s = e.target.closest("[data-ts-size-step]");
    if (s) tsTextSize.set(Math.max(-1, Math.min(3, tsTextSize.get() + Number(s.getAttribute("data-ts-size-step")))));
  });
})();
