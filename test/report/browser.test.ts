// The report in a real browser (Debian's headless Chromium, driven by playwright-core; no browser is downloaded):
// it loads from a file:// URL with no console error and no request beyond itself, opens with a drawn chart, its
// gradient links reach the graph's nodes, and its first screen is saved (as docs/images/report.png for the README
// with UPDATE_SCREENSHOTS=1).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, CHROMIUM, openPage, screenshotPath, warnIfNoChromium } from "../browser.js";
import { root, tgc } from "../cli/run-cli.js";
import { simulatedRun } from "./fixture.js";

const available = chromiumAvailable;
warnIfNoChromium("the report's browser test (the report itself is still tested in report.test.ts)");

describe("tgc report in headless Chromium", () => {
  it.skipIf(!available)(`loads offline, draws the chart and links gradients to the graph (skipped without ${CHROMIUM})`, { timeout: 90_000 }, async () => {
    const folder = simulatedRun();
    expect(tgc(["report", folder]).code).toBe(0);
    const file = join(folder, "report.html");
    const { context, page, problems, requests } = await openPage(1200, 1000);
    try {
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: "load" });

      // The chart is the first thing after the summary, on the first screen, with its points drawn.
      const chart = page.locator("svg#chart");
      const box = await chart.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThan(1000);
      expect(box!.width).toBeGreaterThan(600);
      expect(await page.locator("svg#chart .point.loss").count()).toBe(4);
      expect(await page.locator("svg#chart .point.validation").count()).toBe(5);
      const point = await page.locator("svg#chart .point.loss").first().boundingBox();
      expect(point!.width).toBeGreaterThan(4); // drawn, not zero-sized
      // The first screen and the first step below it: the summary, the chart, an update's diff and its gradients.
      const shot = screenshotPath(root, "report.png");
      await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1200, height: 1560 } });

      // A gradient's link leads to the graph node it came from.
      const link = page.locator('a.node-link[href="#node-6"]').first();
      await link.click();
      expect(new URL(page.url()).hash).toBe("#node-6");
      expect(await page.locator("svg#graph g#node-6").isVisible()).toBe(true);
      expect(await page.evaluate("document.querySelector(':target')?.id")).toBe("node-6");

      expect(problems).toEqual([]);
      expect(requests.every((r) => r.startsWith(url))).toBe(true);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
    } finally {
      await context.close();
    }
  });
});
