// The Node hosts: data files beside the program, read as text (a `.gz` file unzipped); the standard library's modules listed.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fileDataHost, nodeHost, packageRoot } from "../../src/api/host.js";

describe("fileDataHost", () => {
  it("reads a data file beside the program, unzipping a .gz one, and nothing for a missing one", () => {
    const dir = mkdtempSync(join(tmpdir(), "tgc-host-"));
    const program = join(dir, "main.tg");
    writeFileSync(join(dir, "plain.jsonl"), '{"q": "1"}\n');
    writeFileSync(join(dir, "zipped.jsonl.gz"), gzipSync('{"q": "2"}\n'));
    expect(fileDataHost.read(fileDataHost.resolve("plain.jsonl", program))).toBe('{"q": "1"}\n');
    expect(fileDataHost.read(fileDataHost.resolve("zipped.jsonl.gz", program))).toBe('{"q": "2"}\n');
    expect(fileDataHost.read(fileDataHost.resolve("none.jsonl", program))).toBeUndefined();
  });
});

describe("nodeHost", () => {
  it("lists the standard library's modules as they are on disk, each one it also resolves", () => {
    const files = readdirSync(join(packageRoot(), "stdlib")).filter((f) => f.endsWith(".tg"));
    const host = nodeHost();
    const listed = host.stdModules!();
    expect(listed).toEqual(files.map((f) => `std/${f.slice(0, -3)}`).sort());
    expect(listed).toContain("std/metrics");
    for (const id of listed) expect(host.resolve(id, "/x/main.tg")).toBe(id);
    expect(nodeHost(join(tmpdir(), "no-such-stdlib")).stdModules!()).toEqual([]);
  });
});
