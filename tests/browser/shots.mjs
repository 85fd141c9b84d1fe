// Screenshots of parts of a report page, for looking at them:
//   node shots.mjs FILE.html OUT_PREFIX SELECTOR...   (writes OUT_PREFIX-1.png, -2.png, ...)
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [file, prefix, ...selectors] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "report-shots-"));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 900 },
});
await context.route("**/*", (r) => (r.request().url().startsWith("file:") ? r.continue() : r.abort()));
const page = context.pages()[0] || (await context.newPage());
await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
let i = 0;
for (const sel of selectors) {
  i++;
  const el = page.locator(sel).first();
  const path = `${prefix}-${i}.png`;
  await el.scrollIntoViewIfNeeded();
  await page.waitForTimeout(100);
  await el.screenshot({ path });
  console.log(path, sel);
}
await context.close();
rmSync(dir, { recursive: true, force: true });
