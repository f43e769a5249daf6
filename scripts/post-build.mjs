// Trunk post-build hook, on the staged release (one script: Trunk runs hooks side by side, and
// both steps edit index.html).
//
// 1. The codec worker (src/codecs.rs). Trunk names a worker's files after its binary, without a
//    hash, so that the app can name them at run time. Here they are renamed after a hash of their
//    content (`spanmark-codecs-<hash>.js`, `…_bg.wasm`), given a loader (`…_worker.js`), and
//    the page's `<meta name="spanmark-codecs">` names them: a page never meets a worker of another
//    release, from the browser's cache or the service worker's. The meta names the stem only, so
//    that the service worker does not take it for a file the first view needs.
// 2. The Content-Security-Policy: the SHA-256 hash of every inline <script> of index.html goes
//    where the policy has the placeholder 'inline-script-hashes'. Trunk writes the loader script
//    inline, and its text changes with every build (it names the hashed files), so the policy is
//    completed here rather than by hand.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("post-build: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");

// 1. The codec worker.
const WORKER = "spanmark-codecs";
const STEM_PLACEHOLDER = "spanmark-codecs-stem";
const js = join(dir, `${WORKER}.js`);
const wasm = join(dir, `${WORKER}_bg.wasm`);
if (!existsSync(js) || !existsSync(wasm)) {
  console.error(`post-build: Trunk built no ${WORKER} worker (${WORKER}.js and ${WORKER}_bg.wasm)`);
  process.exit(1);
}
if (!html.includes(STEM_PLACEHOLDER)) {
  console.error(`post-build: ${file} has no <meta name="spanmark-codecs" content="${STEM_PLACEHOLDER}">`);
  process.exit(1);
}
const hash = createHash("sha256").update(readFileSync(js)).update(readFileSync(wasm)).digest("hex").slice(0, 16);
const stem = `${WORKER}-${hash}`;
renameSync(js, join(dir, `${stem}.js`));
renameSync(wasm, join(dir, `${stem}_bg.wasm`));
writeFileSync(join(dir, `${stem}_worker.js`), `importScripts("./${stem}.js");wasm_bindgen({ module_or_path: "./${stem}_bg.wasm" });\n`);
html = html.replace(STEM_PLACEHOLDER, stem);
console.log(`post-build: codec worker ${stem}`);

// 2. The Content-Security-Policy. Inline scripts: <script ...> without a src attribute. The
// hash covers the text between the tags exactly, as the browser sees it.
const PLACEHOLDER = "'inline-script-hashes'";
if (!html.includes(PLACEHOLDER)) {
  console.error(`post-build: ${file} has no ${PLACEHOLDER} in its Content-Security-Policy`);
  process.exit(1);
}
const hashes = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/i.test(m[1])) continue;
  hashes.push(`'sha256-${createHash("sha256").update(m[2], "utf8").digest("base64")}'`);
}
writeFileSync(file, html.replace(PLACEHOLDER, hashes.join(" ")));
console.log(`post-build: ${hashes.length} inline script(s) allowed by hash`);
