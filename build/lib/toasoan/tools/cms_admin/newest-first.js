/* Lists open newest first. Decap 3.16 has no setting for a default sort; it
 * keeps the reader's last choice in localStorage, read once when it loads, so
 * this runs before decap-cms.js and seeds a sort by date, descending, for each
 * collection that the reporter has not sorted yet. */
(function () {
  "use strict";
  var KEY = "decap-cms.entries.sort";
  try {
    var sort = JSON.parse(window.localStorage.getItem(KEY) || "{}") || {};
    ((window.TOASOAN_CMS || {}).collections || []).forEach(function (name) {
      if (!sort[name]) sort[name] = { date: { key: "date", direction: "Descending", index: 0 } };
    });
    window.localStorage.setItem(KEY, JSON.stringify(sort));
  } catch (e) { /* no storage (private window): the list keeps Decap's order */ }
})();
