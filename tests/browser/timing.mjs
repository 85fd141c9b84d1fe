// Open time of report pages in headless Chromium: each file is opened RUNS times (default 5)
// in fresh tabs of one browser, the first run also counting as a cold start.
//   node timing.mjs [--runs N] FILE.html...
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
let runs = 5;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runs") runs = Number(args[++i]);
  else files.push(args[i]);
}
const dir = mkdtempSync(join(tmpdir(), "report-timing-"));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 900 },
});
await context.route("**/*", (r) => (r.request().url().startsWith("file:") ? r.continue() : r.abort()));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
for (const f of files) {
  const url = pathToFileURL(resolve(f)).href;
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "load" });
    // Wait for the first frame after load so paint timing is in.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    rows.push(await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0];
      const fcp = performance.getEntriesByType("paint").find((p) => p.name === "first-contentful-paint");
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, fcp: fcp ? fcp.startTime : NaN };
    }));
    await page.close();
  }
  const m = (k) => median(rows.map((r) => r[k])).toFixed(0);
  console.log(`${f}: ${(statSync(f).size / 1e6).toFixed(2)} MB; median of ${runs}: first contentful paint ${m("fcp")} ms, DOMContentLoaded ${m("dcl")} ms, load ${m("load")} ms; fastest load ${min(rows.map((r) => r.load)).toFixed(0)} ms; first run load ${rows[0].load.toFixed(0)} ms`);
}
await context.close();
rmSync(dir, { recursive: true, force: true });
