import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { packageRoot } from "../host.js";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * `tgc playground`: serves the prebuilt page (dist/playground/, written by the package build) on 127.0.0.1 and
 * prints its URL; runs until interrupted. Builds nothing: the compiler runs in the page.
 */
export async function playgroundCommand(options: { port: number }): Promise<number> {
  const dir = join(packageRoot(), "dist", "playground");
  try {
    statSync(join(dir, "index.html"));
  } catch {
    process.stderr.write(`tgc: the playground is not built (no ${join(dir, "index.html")}); run \`npm run build\` in the tgc folder\n`);
    return 1;
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(dir, path === "/" ? "index.html" : path));
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (!file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      process.stderr.write(`tgc: cannot serve the playground on 127.0.0.1:${options.port}: ${e.code === "EADDRINUSE" ? "the port is in use (try --port N)" : e.message}\n`);
      resolve(false);
    });
    server.listen(options.port, "127.0.0.1", () => resolve(true));
  });
  if (!listening) return 1;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  process.stdout.write(`tgc playground: http://127.0.0.1:${port}/\n(the compiler runs in the page; Ctrl-C stops the server)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}
