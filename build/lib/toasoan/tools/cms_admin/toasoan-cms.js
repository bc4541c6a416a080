/* Tòa soạn's additions to Decap CMS: the photo with caption and credit, the
 * preview that looks like the site, and the checks that `toasoan check` makes
 * on photos, run before anything is saved. Settings come from settings.js,
 * written from mkdocs.yml by toasoan/cms.py. */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h;
  var SETTINGS = window.TOASOAN_CMS || {};
  var MAX_BYTES = SETTINGS.max_photo_bytes || 10 * 1024 * 1024;
  var MAX_PIXELS = (SETTINGS.max_megapixels || 100) * 1e6;

  // Same rule as split_caption in toasoan/photos.py: the credit is the text
  // after the last "Ảnh:", or "Ảnh minh họa" for a stock photo.
  var CREDIT = /(?:^|[\s(\[–—-])\s*ảnh(?:\s*:\s*([^()\[\]]+?)|\s+(minh\s+h(?:ọa|oạ)))\s*[)\]]?\s*$/i;
  var STOCK = "minh họa";

  function splitCaption(title) {
    title = (title || "").normalize("NFC").replace(/\s+/g, " ").trim();
    var m = CREDIT.exec(title);
    if (!m) return [title, ""];
    var caption = title.slice(0, m.index).replace(/[\s\-–—(\[]+$/, "").trim();
    return [caption, (m[1] || STOCK).trim()];
  }

  function joinCaption(caption, credit) {
    caption = (caption || "").trim();
    credit = (credit || "").trim();
    if (caption && !/[.!?…]$/.test(caption)) caption += ".";
    var tail = !credit || /^minh\s+h(ọa|oạ)$/i.test(credit) ? "Ảnh minh họa" : "Ảnh: " + credit;
    // A straight double quote would end the Markdown title early.
    return ((caption ? caption + " " : "") + tail).replace(/"/g, "”");
  }

  var photoField = {
    name: "src", label: "Ảnh", widget: "image", choose_url: false,
    media_library: { config: { max_file_size: MAX_BYTES } }
  };

  CMS.registerEditorComponent({
    id: "anh",
    label: "Ảnh có chú thích",
    fields: [
      photoField,
      { name: "caption", label: "Chú thích", widget: "string",
        hint: "Viết thành câu, ví dụ: Đại biểu cắt băng khai mạc." },
      { name: "credit", label: "Tác giả ảnh", widget: "string", required: false,
        hint: "Tên người chụp. Bỏ trống nếu là ảnh minh họa / ảnh tư liệu." },
      { name: "alt", label: "Mô tả ảnh cho người khiếm thị", widget: "string", required: false,
        hint: "Không bắt buộc; bỏ trống thì dùng chú thích." }
    ],
    pattern: /^!\[([^\]]*)\]\(([^\s)]+)(?:\s+"([^"]*)")?\)$/,
    fromBlock: function (m) {
      var parts = splitCaption(m[3] || "");
      return { alt: m[1] || "", src: m[2], caption: parts[0],
               credit: parts[1] === STOCK ? "" : parts[1] };
    },
    toBlock: function (d) {
      var alt = (d.alt || "").replace(/[\[\]]/g, "");
      return "![" + alt + "](" + (d.src || "") + ' "' + joinCaption(d.caption, d.credit) + '")';
    },
    toPreview: function (d, getAsset, fields) {
      var field = fields && fields.find(function (f) { return f.get("widget") === "image"; });
      var asset = d.src && getAsset ? getAsset(d.src, field) : null;
      var url = asset ? asset.toString() : "";
      var parts = splitCaption(joinCaption(d.caption, d.credit));
      return h("figure", { style: { margin: "1.5rem 0" } },
        h("img", { src: url, alt: d.alt || parts[0],
                   style: { display: "block", maxWidth: "100%", height: "auto" } }),
        h("figcaption", null,
          h("span", { className: "ts-figure__caption" }, parts[0]), " ",
          h("span", { className: "ts-figure__credit" },
            parts[1] === STOCK ? "Ảnh minh họa" : "Ảnh: " + parts[1])));
    }
  });

  // The preview pane: the article as the site lays it out.
  // Decap's preview shows a body photo as a bare <img title="…">: give it the
  // site's caption and credit, as the figure of a published article has them.
  function captionPhotos(root) {
    if (!root) return;
    Array.prototype.forEach.call(root.querySelectorAll("img[title]"), function (img) {
      if (img.parentNode.tagName === "FIGURE") return;
      var parts = splitCaption(img.getAttribute("title"));
      var doc = img.ownerDocument;
      var figure = doc.createElement("figure"), caption = doc.createElement("figcaption");
      var text = doc.createElement("span"), credit = doc.createElement("span");
      figure.className = "ts-preview-figure";
      text.className = "ts-figure__caption";
      text.textContent = parts[0];
      credit.className = "ts-figure__credit";
      credit.textContent = !parts[1] ? "" : parts[1] === STOCK ? " Ảnh minh họa" : " Ảnh: " + parts[1];
      caption.appendChild(text);
      caption.appendChild(credit);
      img.parentNode.insertBefore(figure, img);
      figure.appendChild(img);
      figure.appendChild(caption);
    });
  }

  var Preview = window.createClass({
    componentDidMount: function () { captionPhotos(this.node); },
    componentDidUpdate: function () { captionPhotos(this.node); },
    render: function () {
      var self = this;
      var entry = this.props.entry, data = entry.get("data");
      var authors = data.get("author");
      authors = authors && authors.toJS ? authors.toJS().join(", ") : authors || "";
      return h("article", { className: "md-typeset ts-article", ref: function (el) { self.node = el; } },
        h("p", { className: "ts-kicker" }, data.get("category") || ""),
        h("h1", null, data.get("title") || ""),
        h("p", { className: "ts-byline" }, [authors, data.get("location"), data.get("date")]
          .filter(Boolean).join(" · ")),
        data.get("summary") ? h("p", { className: "ts-sapo" }, h("strong", null, data.get("summary"))) : null,
        this.props.widgetFor("body"));
    }
  });
  (SETTINGS.collections || []).forEach(function (name) { CMS.registerPreviewTemplate(name, Preview); });
  // The preview is an iframe without a base URL: give the site's stylesheet in full.
  CMS.registerPreviewStyle(new URL("../stylesheets/bulletin.css", document.baseURI).href);
  CMS.registerPreviewStyle(
    "body{font-family:'Noto Serif',Georgia,serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.6}" +
    "img{display:block;max-width:100%;height:auto}" +
    "figure{margin:1.5rem 0}figcaption{font-size:.9em;color:#555}.ts-figure__credit{font-style:italic}" +
    ".ts-kicker{color:#b71c1c;text-transform:uppercase;font-size:.85em}.ts-byline{color:#666}",
    { raw: true });

  // Photos are checked before the article is saved, as `toasoan check` would:
  // a file that does not decode as a photo, one above the size limit or one
  // with too many pixels is refused, and nothing is written.
  function decode(file) {
    return window.createImageBitmap(file).then(function (bitmap) {
      var size = [bitmap.width, bitmap.height];
      if (bitmap.close) bitmap.close();
      return size;
    });
  }

  // Two people editing one article: the local backend would let the later save
  // replace the earlier one. Refuse a save when the file changed since this
  // editor opened it (the hosted backends refuse such a write themselves).
  function post(action, params) {
    return fetch(SETTINGS.local_url, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: action, params: Object.assign({ branch: SETTINGS.branch }, params) })
    }).then(function (r) { return r.ok ? r.json() : null; });
  }

  function currentText(entry) {
    var key = { collection: entry.get("collection"), slug: entry.get("slug"), id: entry.get("path"), path: entry.get("path") };
    return post("unpublishedEntryDataFile", key).then(function (r) {
      return r ? r.data : post("getEntry", { path: entry.get("path") }).then(function (e) { return e ? e.data : null; });
    }, function () { return null; });
  }

  function checkConflict(entry) {
    if (!SETTINGS.local_url || entry.get("newRecord") || !entry.get("raw")) return Promise.resolve();
    return currentText(entry).then(function (now) {
      if (now !== null && now !== entry.get("raw")) {
        throw new Error("bài này vừa được người khác sửa và lưu sau khi bạn mở nó — Cách sửa: chép phần " +
          "bạn viết ra chỗ khác, tải lại trang (F5) để xem bản mới nhất, rồi sửa tiếp trên bản đó");
      }
    });
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      return checkConflict(args.entry).then(function () { return checkPhotos(args); });
    }
  });

  function checkPhotos(args) {
      var media = args.entry.get("mediaFiles");
      var files = media ? media.toJS().filter(function (m) { return m.file; }) : [];
      return Promise.all(files.map(function (m) {
        var name = m.path || m.name;
        if (m.file.size > MAX_BYTES) {
          return Promise.reject(new Error("ảnh '" + name + "' nặng " + (m.file.size / 1048576).toFixed(1) +
            " MB, quá giới hạn " + (MAX_BYTES / 1048576).toFixed(0) + " MB — Cách sửa: thu nhỏ ảnh rồi tải lại"));
        }
        return decode(m.file).then(function (size) {
          if (size[0] * size[1] > MAX_PIXELS) {
            throw new Error("ảnh '" + name + "' có quá nhiều điểm ảnh (" + size[0] + "×" + size[1] +
              ") — Cách sửa: thu nhỏ ảnh rồi tải lại");
          }
        }, function () {
          throw new Error("tệp '" + name + "' không phải ảnh hoặc ảnh bị hỏng — Cách sửa: lưu ảnh " +
            "dạng JPEG (ảnh HEIC của iPhone cũng phải chuyển sang JPEG) rồi tải lại");
        });
      })).then(function () { return undefined; });  // data unchanged
  }
})();
