/* Tìm kiếm cho trang tin tĩnh: đọc chỉ mục do toasoan/search/index.py tạo ra.
 *
 * Site search, no framework and no third party. A query is split into
 * syllables exactly like toasoan/search/tokens.py: folded syllables (no
 * diacritics, đ→d) and neighbouring pairs. Each term's shard is fetched once
 * (a few KB); metadata is fetched only for the results shown. Works from a
 * sub-path: every address is relative to this script's own URL.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var ROOT = new URL("..", script ? script.src : location.href).href;
  var INDEX = ROOT + "search/";
  var PAGE = 10;          // results shown at a time
  var DEBOUNCE = 70;      // ms after the last keystroke
  var MISMATCH = 0.45;    // weight of a different spelling when the query has diacritics
  var FORMAT = 1;         // the index layout this script reads: FORMAT in toasoan/search/index.py

  // --- text: keep in step with toasoan/core/text.py and toasoan/search/tokens.py ---
  var TONES = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"};
  var TONE_RE = new RegExp("(" + Object.keys(TONES).join("|") + ")(?![\\p{L}\\p{N}_])", "gu");
  var BREAKS = /[.,;:!?…()\[\]{}"“”«»–—|/\\]+/u;
  var WORD = /[\p{L}\p{N}]+/gu;

  function exactForm(text) {
    return text.normalize("NFC").toLowerCase().replace(TONE_RE, function (m) { return TONES[m]; });
  }
  function fold(text) {
    return text.normalize("NFD").replace(/\p{Mn}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
  }
  function segments(text) {
    return exactForm(text).split(BREAKS).map(function (p) { return p.match(WORD) || []; })
      .filter(function (w) { return w.length; });
  }
  // Terms of a query: syllables, then pairs; each with its exact spelling.
  // A syllable that is a whole segment ("lúa" in "Bắc Kạn, lúa") is marked
  // `alone`: only such a syllable is highlighted by itself in the results.
  function queryTerms(text) {
    var singles = [], pairs = [], seen = {};
    function add(list, exact, alone) {
      var folded = exact.split(" ").map(fold).join(" ");
      if (!seen[folded]) { seen[folded] = 1; list.push({exact: exact, folded: folded, pair: list === pairs, alone: alone}); }
      else if (alone) list.forEach(function (t) { if (t.folded === folded) t.alone = true; });
    }
    segments(text).forEach(function (words) {
      words.forEach(function (w) { add(singles, w, words.length === 1); });
      for (var i = 0; i + 1 < words.length; i++) add(pairs, words[i] + " " + words[i + 1], false);
    });
    return singles.concat(pairs);
  }

  // --- hashing: zlib's CRC-32, as in Python's zlib.crc32(data, seed) ---
  var CRC = (function () {
    var t = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();
  var encoder = new TextEncoder();
  function crc32(text, seed) {
    var bytes = encoder.encode(text), c = ~(seed || 0);
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
    return (~c) >>> 0;
  }

  // --- index files ---
  var manifest = null, shards = {}, chunks = {}, sectionBytes = null;
  function get(url, kind) {
    return fetch(url).then(function (r) {
      if (!r.ok) { if (r.status === 404 && kind === "bin") return new ArrayBuffer(0); throw new Error(r.status); }
      return kind === "bin" ? r.arrayBuffer() : r.json();
    });
  }
  function loadManifest() {
    if (!manifest) manifest = fetch(INDEX + "manifest.json", {cache: "no-cache"}).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (m) {
      // A script and an index from different builds (a stale cache, a half
      // upload) would read the shards wrongly: refuse instead of showing nonsense.
      if (m.format !== FORMAT) {
        var err = new Error("index format " + m.format + ", script reads " + FORMAT);
        err.format = m.format;
        throw err;
      }
      return m;
    });
    return manifest;
  }
  function shard(m, n) {
    if (!shards[n]) shards[n] = get(INDEX + "t/" + n + ".bin?v=" + m.v, "bin").then(function (b) { return new Uint8Array(b); });
    return shards[n];
  }
  function chunk(m, n) {
    if (!chunks[n]) chunks[n] = get(INDEX + "d/" + n + ".json?v=" + m.v, "json");
    return chunks[n];
  }
  function sections(m) {
    if (!sectionBytes) sectionBytes = get(INDEX + "sections.bin?v=" + m.v, "bin").then(function (b) { return new Uint8Array(b); });
    return sectionBytes;
  }

  // Find a term's entry in its shard: see the format in toasoan/search/index.py.
  function lookup(data, term) {
    var check = crc32(term, 0x2545F491) & 0xFFFFFF, pos = 0;
    function varint() {
      var v = 0, shift = 0, b;
      do { b = data[pos++]; v += (b & 0x7F) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
      return v;
    }
    while (pos < data.length) {
      var found = (data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16) === check;
      pos += 3;
      var count = varint(), nvar = varint(), variants = [];
      for (var i = 0; i < nvar; i++) { variants.push(data[pos] | data[pos + 1] << 8); pos += 2; }
      var size = varint();
      if (!found) { pos += size; continue; }
      var docs = [], impacts = [], spellings = [], doc = 0;
      for (var j = 0; j < count; j++) {
        doc += varint();
        docs.push(doc);
        impacts.push(data[pos++]);
        spellings.push(nvar > 1 ? data[pos++] : 0);
      }
      return {variants: variants, docs: docs, impacts: impacts, spellings: spellings};
    }
    return null;
  }

  // Score every document that any term names. Returns ids, best first, split
  // into `full` (the document holds every syllable of the query) and the
  // others, plus which documents hold every pair (the phrase itself).
  // A term keeps only its best `keep` postings (toasoan/search/index.py): a
  // document missing from a list that long may still hold the syllable, so
  // such a list never rules a document out.
  function rank(m, terms, entries, filter) {
    var marked = terms.some(function (t) { return t.exact !== t.folded; });
    var keep = m.keep || 300;
    var score = new Map(), hits = new Map(), singles = new Map(), pairs = new Map();
    var needSingles = 0, needPairs = 0, missing = false, pairTerms = 0;
    terms.forEach(function (t, k) {
      var e = entries[k];
      if (t.pair) pairTerms++;
      if (!e) { if (!t.pair) missing = true; return; }
      var complete = e.docs.length < keep;
      var counts = complete ? (t.pair ? pairs : singles) : null;
      if (complete) { if (t.pair) needPairs++; else needSingles++; }
      var want = marked ? e.variants.indexOf(crc32(t.exact) & 0xFFFF) : -1;
      for (var i = 0; i < e.docs.length; i++) {
        var d = e.docs[i];
        if (filter && !filter(d)) continue;
        var w = marked && e.spellings[i] !== want ? MISMATCH : 1;
        score.set(d, (score.get(d) || 0) + e.impacts[i] * w);
        hits.set(d, (hits.get(d) || 0) + 1);
        if (counts) counts.set(d, (counts.get(d) || 0) + 1);
      }
    });
    // A document matching more of the query's terms comes first at equal weight.
    var n = terms.length, ids = Array.from(score.keys());
    var final = new Map();
    ids.forEach(function (d) { final.set(d, score.get(d) * (0.5 + 0.5 * hits.get(d) / n)); });
    // A tie goes to the newer article: ids are numbered oldest first.
    ids.sort(function (a, b) { return final.get(b) - final.get(a) || b - a; });
    var full = [], rest = [], phrase = {};
    ids.forEach(function (d) {
      var all = !missing && (singles.get(d) || 0) === needSingles;
      (all ? full : rest).push(d);
      if (all && pairTerms && needPairs === pairTerms && (pairs.get(d) || 0) === needPairs) phrase[d] = 1;
    });
    return {ids: full.concat(rest), full: full.length, phrase: phrase};
  }

  function search(query, opts) {
    var terms = queryTerms(query);
    if (!terms.length) return Promise.resolve({terms: terms, ids: [], full: 0, phrase: {}});
    return loadManifest().then(function (m) {
      var mask = m.shards - 1;
      var wantSections = opts.section !== "" && opts.section != null;
      return Promise.all([
        Promise.all(terms.map(function (t) {
          return shard(m, (crc32(t.folded) & mask) >>> 0).then(function (data) { return lookup(data, t.folded); });
        })),
        wantSections ? sections(m) : null,
      ]).then(function (got) {
        var filter = null, span = null, sec = wantSections ? Number(opts.section) + 1 : 0;
        if (opts.year) m.years.forEach(function (y) { if (String(y[0]) === String(opts.year)) span = y; });
        if (opts.year || wantSections) {
          filter = function (d) {
            if (opts.year && (!span || d < span[1] || d > span[2])) return false;
            return !wantSections || got[1][d] === sec;
          };
        }
        var ranked = rank(m, terms, got[0], filter);
        return {terms: terms, ids: ranked.ids, full: ranked.full, phrase: ranked.phrase, manifest: m};
      });
    });
  }
  function details(m, ids) {
    return Promise.all(ids.map(function (d) {
      return chunk(m, Math.floor(d / m.chunk)).then(function (rows) { return rows[d % m.chunk]; });
    }));
  }

  // --- the page ---
  // Mark the query in `text`: its pairs where two neighbouring words make one
  // ("Đảng ủy" for "dang uy", not a lone "đang"), and a syllable by itself
  // only when the query is that syllable (or it stands alone between commas).
  function highlight(el, text, hl) {
    var words = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) words.push({at: m.index, end: m.index + m[0].length, f: fold(m[0])});
    function joined(i) {  // words i and i+1 are neighbours in one phrase
      return i >= 0 && i + 1 < words.length && !BREAKS.test(text.slice(words[i].end, words[i + 1].at));
    }
    function pair(i) { return joined(i) && hl.pairs[words[i].f + " " + words[i + 1].f]; }
    var last = 0, i = 0;
    while (i < words.length) {
      if (!(hl.alone[words[i].f] || pair(i) || pair(i - 1))) { i++; continue; }
      var j = i;
      while (pair(j)) j++;  // a run of pairs is one mark: "Đảng ủy tỉnh"
      el.appendChild(document.createTextNode(text.slice(last, words[i].at)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(words[i].at, words[j].end);
      el.appendChild(mark);
      last = words[j].end;
      i = j + 1;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }
  function node(tag, cls, parent) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (parent) parent.appendChild(el);
    return el;
  }
  function shortDate(iso) {
    var p = iso.split("-");
    return p[2] + "/" + p[1] + "/" + p[0];
  }

  function failure(err) {
    return err && "format" in err
      ? "Chỉ mục tìm kiếm không khớp với trang này (trang đọc phiên bản " + FORMAT + ", chỉ mục là phiên bản "
        + err.format + "). Hãy tải lại trang (Ctrl+F5); nếu vẫn lỗi, báo cho người quản trị trang."
      : "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau.";
  }

  function start(app) {
    var form = app.querySelector("form");
    var input = form.elements.q, sectionSel = form.elements.muc, yearSel = form.elements.nam;
    var status = app.querySelector(".ts-search__status");
    var list = app.querySelector(".ts-search__results");
    var nearList = app.querySelector(".ts-search__near");
    var more = app.querySelector(".ts-search__more");
    var closest = app.querySelector(".ts-search__closest");
    if (!nearList || !closest) {  // a search page from an older build: add them
      closest = node("h2", "ts-search__closest");
      closest.textContent = "Bài gần đúng nhất";
      closest.hidden = true;
      list.after(closest);
      nearList = node("ol", "ts-search__results ts-search__near");
      closest.after(nearList);
    }
    var params = new URLSearchParams(location.search);
    var timer = 0, lastInput = performance.now(), current = 0, state = null;

    input.value = params.get("q") || "";
    // Filters come from the manifest; a search asked for in the address waits for them.
    loadManifest().then(function (m) {
      m.sections.forEach(function (s, i) { sectionSel.add(new Option(s[1], String(i))); });
      m.years.forEach(function (y) { yearSel.add(new Option(String(y[0]), String(y[0]))); });
      sectionSel.value = params.get("muc") !== null ? indexOfSection(m, params.get("muc")) : "";
      yearSel.value = params.get("nam") || "";
    }).catch(function (err) {
      // An index of another format is said at once, before anything is typed.
      if (err && "format" in err) status.textContent = failure(err);
    }).then(function () { if (input.value) run(); });
    function indexOfSection(m, slug) {
      for (var i = 0; i < m.sections.length; i++) if (m.sections[i][0] === slug) return String(i);
      return "";
    }

    function remember(m) {
      var p = new URLSearchParams();
      if (input.value.trim()) p.set("q", input.value.trim());
      if (sectionSel.value !== "" && m) p.set("muc", m.sections[Number(sectionSel.value)][0]);
      if (yearSel.value) p.set("nam", yearSel.value);
      var qs = p.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    }

    function run() {
      var query = input.value, id = ++current;
      if (!query.trim()) {
        list.textContent = ""; nearList.textContent = ""; status.textContent = ""; more.hidden = true; closest.hidden = true;
        remember(null);
        return;
      }
      app.setAttribute("aria-busy", "true");
      search(query, {section: sectionSel.value, year: yearSel.value}).then(function (res) {
        if (id !== current) return;
        remember(res.manifest);
        // Results hold every syllable of the query. When fewer than a page do
        // (none, or a typo that happens to be a rare real syllable), the closest
        // others follow under their own heading, in their own list.
        var hl = {alone: {}, pairs: {}}, phrases = 0, syllables = 0;
        res.terms.forEach(function (t) {
          if (t.pair) { hl.pairs[t.folded] = 1; phrases++; } else { syllables++; if (t.alone) hl.alone[t.folded] = 1; }
        });
        var shown = res.full >= PAGE ? res.ids.slice(0, res.full) : res.ids;
        state = {res: res, ids: shown, closest: !res.full, shown: 0, hl: hl, phrases: phrases, syllables: syllables};
        closest.hidden = true;
        list.textContent = ""; nearList.textContent = "";
        return showMore(id, query);
      }).catch(function (err) {
        if (id !== current) return;
        status.textContent = failure(err);
        app.removeAttribute("aria-busy");
      });
    }

    function showMore(id, query) {
      var res = state.res, all = state.ids, from = state.shown, ids = all.slice(from, from + PAGE);
      return details(res.manifest, ids).then(function (rows) {
        if (id !== current) return;
        rows.forEach(function (row, k) {
          if (!row) return;
          var near = from + k >= res.full;
          if (near) closest.hidden = false;
          var li = node("li", "ts-result", near ? nearList : list);
          var h = node("h2", "ts-result__title", li);
          var a = node("a", null, h);
          a.href = ROOT + row[1];
          highlight(a, row[0], state.hl);
          var meta = node("p", "ts-result__meta", li);
          var time = node("time", null, meta);
          time.dateTime = row[2];
          time.textContent = shortDate(row[2]);
          if (row[3] >= 0) meta.appendChild(document.createTextNode(" · " + res.manifest.sections[row[3]][1]));
          if (state.phrases && res.phrase[ids[k]]) {
            meta.appendChild(document.createTextNode(" · "));
            node("span", "ts-result__phrase", meta).textContent = "Có đúng cụm từ";
          }
          if (row[4]) highlight(node("p", "ts-result__excerpt", li), row[4], state.hl);
        });
        state.shown = from + ids.length;
        var q = "«" + query.trim() + "»", matched = 0;
        if (state.phrases) for (var d = 0; d < res.full; d++) if (res.phrase[res.ids[d]]) matched++;
        status.textContent = !all.length
          ? "Không tìm thấy bài nào cho " + q + ". Hãy thử từ khác, có dấu hoặc không dấu."
          : state.closest
            ? "Không bài nào có đủ các từ " + q + ". Dưới đây là " + all.length + " bài gần đúng nhất."
            : res.full + (state.syllables > 1 ? " bài có đủ các từ " : " bài có từ ") + q
              + (state.phrases ? ", " + matched + " bài có đúng cụm từ" : "")
              + (all.length > res.full ? "; sau đó là " + (all.length - res.full) + " bài gần đúng" : "");
        if (all.length && state.shown < all.length) status.textContent += " (đang hiện " + state.shown + ")";
        more.hidden = state.shown >= all.length;
        app.removeAttribute("aria-busy");
        app.dataset.query = query;
        document.dispatchEvent(new CustomEvent("ts-search:done", {detail: {
          query: query, count: all.length, full: res.full, closest: state.closest,
          ms: performance.now() - lastInput}}));
      });
    }

    input.addEventListener("input", function () {
      lastInput = performance.now();
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE);
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); lastInput = performance.now(); run(); });
    sectionSel.addEventListener("change", function () { lastInput = performance.now(); run(); });
    yearSel.addEventListener("change", function () { lastInput = performance.now(); run(); });
    more.addEventListener("click", function () { if (state) showMore(current, input.value); });
  }

  // The header box on the search page edits the page's own box instead.
  function ready() {
    var app = document.getElementById("ts-search");
    if (app) start(app);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  window.toasoanSearch = {search: search, details: details, terms: queryTerms, fold: fold, format: FORMAT};
})();
