/* Run the site's search.js outside a browser, for the JS <-> Python tests.
 *
 *   node run_search.js <search.js> <index folder> < request.json
 *
 * The script is loaded unchanged in a `vm` context whose `fetch` reads the
 * index folder from disk, as if the site were served at http://site.test/.
 * request.json: {"search": [query, ...], "fold": [text, ...], "terms": [text, ...]}.
 * Prints {"format", "search": [{ids, full, phrase} or {error}], "fold", "terms"}.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [script, folder] = process.argv.slice(2);
const SITE = "http://site.test/";

function fakeFetch(url) {
  const rel = new URL(url).pathname.slice("/search/".length);
  const file = path.join(folder, rel);
  const ok = rel !== "" && fs.existsSync(file);
  const bytes = ok ? fs.readFileSync(file) : Buffer.alloc(0);
  return Promise.resolve({
    ok: ok,
    status: ok ? 200 : 404,
    json: () => Promise.resolve(JSON.parse(bytes.toString("utf-8"))),
    arrayBuffer: () => Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
  });
}

const context = {
  fetch: fakeFetch, URL: URL, TextEncoder: TextEncoder,
  location: {href: SITE + "tim-kiem/"},
  // No #ts-search element: only the search functions are set up, not the page.
  document: {currentScript: {src: SITE + "javascripts/search.js"}, readyState: "complete",
             getElementById: () => null},
};
context.window = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(script, "utf-8"), context, {filename: script});
const api = context.toasoanSearch;

async function main() {
  const request = JSON.parse(fs.readFileSync(0, "utf-8"));
  const out = {format: api.format, search: [], fold: [], terms: []};
  for (const query of request.search || []) {
    try {
      const res = await api.search(query, {});
      const phrase = Object.keys(res.phrase).map(Number).sort((a, b) => a - b);
      out.search.push({ids: res.ids, full: res.full, phrase: phrase});
    } catch (err) {
      out.search.push({error: String(err.message || err)});
    }
  }
  out.fold = (request.fold || []).map((text) => api.fold(text));
  out.terms = (request.terms || []).map((text) => api.terms(text).map((t) => [t.exact, t.folded]));
  process.stdout.write(JSON.stringify(out));
}
main().catch((err) => { console.error(err); process.exit(1); });
