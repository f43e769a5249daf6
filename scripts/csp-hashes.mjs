// Trunk post-build hook: puts the SHA-256 hash of every inline <script> of the staged
// index.html into its Content-Security-Policy, where index.html has the placeholder
// 'inline-script-hashes'. Trunk writes the loader script inline, and its text changes with
// every build (it names the hashed files), so the policy is completed here rather than by hand.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PLACEHOLDER = "'inline-script-hashes'";
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("csp-hashes: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
const file = join(dir, "index.html");
const html = readFileSync(file, "utf8");
if (!html.includes(PLACEHOLDER)) {
  console.error(`csp-hashes: ${file} has no ${PLACEHOLDER} in its Content-Security-Policy`);
  process.exit(1);
}
// Inline scripts: <script ...> without a src attribute. The hash covers the text between
// the tags exactly, as the browser sees it.
const hashes = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/i.test(m[1])) continue;
  hashes.push(`'sha256-${createHash("sha256").update(m[2], "utf8").digest("base64")}'`);
}
writeFileSync(file, html.replace(PLACEHOLDER, hashes.join(" ")));
console.log(`csp-hashes: ${hashes.length} inline script(s) allowed by hash`);
