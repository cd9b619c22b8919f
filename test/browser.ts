// Headless Chromium for the browser tests: Debian's chromium driven by playwright-core (no browser is downloaded).
// TGC_TEST_CHROMIUM names another binary, or a missing one to see the skip.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";

export const CHROMIUM = process.env.TGC_TEST_CHROMIUM ?? "/usr/bin/chromium";
export const chromiumAvailable = existsSync(CHROMIUM);

/** Says, once, why a browser test is skipped. */
export function warnIfNoChromium(what: string): void {
  if (!chromiumAvailable) console.warn(`SKIPPED: ${what} needs ${CHROMIUM} (Debian: apt-get install -y chromium)`);
}

/**
 * A fresh headless Chromium, with the flags this machine needs (its closed network refuses Chromium's background
 * connections), and a page that records every console error or warning, page error, failed request and HTTP error,
 * and every URL requested.
 */
export async function openPage(width: number, height: number): Promise<{ context: BrowserContext; page: Page; problems: string[]; requests: string[] }> {
  const { chromium } = await import("playwright-core");
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "tgc-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width, height },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("request", (r) => requests.push(r.url()));
  return { context, page, problems, requests };
}

/**
 * Where a test's screenshot goes: docs/images/NAME for the README with UPDATE_SCREENSHOTS=1, else a temporary
 * folder, so that running the tests leaves the working tree as it was.
 */
export function screenshotPath(root: string, name: string): string {
  return process.env.UPDATE_SCREENSHOTS === "1" ? join(root, "docs/images", name) : join(mkdtempSync(join(tmpdir(), "tgc-screenshot-")), name);
}
