// The playground in a real browser (Debian's headless Chromium, driven by playwright-core; no browser is
// downloaded): `tgc playground` serves the built page; it loads with no console error and no failed request, shows
// the checker's diagnostic (with its code) for a program with an error, and after one optimizer step with the
// simulator draws a gradient on an edge of the graph. The page with its gradients is saved as
// docs/images/playground.png for the README with UPDATE_SCREENSHOTS=1.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, CHROMIUM, openPage, screenshotPath, warnIfNoChromium } from "../browser.js";
import { WITH_AN_ERROR } from "../../src/playground/examples.js";
import { root } from "../cli/run-cli.js";

const available = chromiumAvailable;
warnIfNoChromium("the playground's browser test");

/** Starts `tgc playground --port 0` and resolves with its URL and the process. */
function serve(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(root, "bin/tgc.js"), "playground", "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`tgc playground printed no URL in time\nstdout: ${out}\nstderr: ${err}`));
    }, 20_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[0], stop });
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`tgc playground exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

describe("tgc playground in headless Chromium", () => {
  it.skipIf(!available)(`checks as you type, draws the graph, and shows gradients on its edges (skipped without ${CHROMIUM})`, { timeout: 120_000 }, async () => {
    const server = await serve();
    const { context, page, problems, requests } = await openPage(1440, 1000);
    try {
      await page.goto(server.url, { waitUntil: "load" });
      await page.waitForSelector("body[data-ready=true]");

      // The quickstart loads first: no errors, and its graph is drawn.
      await page.waitForSelector("svg#graph g.node");
      expect(await page.locator("#diagnostics li.error").count()).toBe(0);

      // A program with an error: the checker's diagnostic, with its code and position, and the name underlined.
      await page.locator("#source").fill(WITH_AN_ERROR);
      const error = page.locator("#diagnostics li.error").first();
      await error.waitFor();
      expect(await error.locator(".code").textContent()).toBe("TG2002");
      expect(await error.locator(".where").textContent()).toBe("5:35");
      expect(await error.textContent()).toContain("unknown name 'answr'");
      expect(await page.locator("#highlighted .squiggle-error").first().textContent()).toBe("answr");
      expect(await page.locator("svg#graph").count()).toBe(0);
      expect(await page.locator("#step").isDisabled()).toBe(true);

      // The quickstart with the simulator: one step, and a gradient appears on an edge as it arrives.
      await page.locator("#example").selectOption("quickstart");
      await page.waitForSelector("svg#graph g.node");
      expect(await page.locator("#diagnostics li.error").count()).toBe(0);
      await page.locator("#step").click();
      await page.waitForSelector("#status.ok:has-text('Step 1 done')", { timeout: 30_000 });
      const gradients = page.locator("svg#graph g.gradient");
      expect(await gradients.count()).toBeGreaterThan(0);
      expect(await gradients.first().locator("text").textContent()).toMatch(/^∇ \S/);
      expect(await page.locator("svg#graph path.has-gradient").count()).toBeGreaterThan(0);
      expect(await page.locator("#log li.gradient").count()).toBe(await gradients.count());
      expect(await page.locator("#log li.update").count()).toBeGreaterThan(0);
      const shot = screenshotPath(root, "playground.png");
      await page.screenshot({ path: shot, fullPage: true });

      // Forward and backward on their own, from the initial values again: the backward pass draws the gradients.
      await page.locator("#reset").click();
      expect(await gradients.count()).toBe(0);
      await page.locator("#forward").click();
      await page.waitForSelector("#status.ok:has-text('Forward pass done')");
      await page.locator("#backward").click();
      await page.waitForSelector("#status.ok:has-text('Backward pass done')");
      expect(await gradients.count()).toBeGreaterThan(0);
      expect(await page.locator("#log li.update").count()).toBe(0); // no step: nothing updated

      // Scripted replies: the gradient on the edge is the rules file's backward reply.
      await page.locator("#example").selectOption("quickstart-scripted");
      await page.waitForSelector("#rules-box:not([hidden])");
      await page.locator("#step").click();
      await page.waitForSelector("#status.ok:has-text('Step 1 done')");
      expect(await gradients.first().locator("title").textContent()).toContain("Show the formula t = sqrt(2h/g).");
      expect(await page.locator("#values").textContent()).toContain("t = sqrt(2h/g) ≈ 2.02 s");

      expect(problems).toEqual([]);
      expect(requests.every((r) => r.startsWith(server.url))).toBe(true);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
    } finally {
      await context.close();
      server.stop();
    }
  });
});
