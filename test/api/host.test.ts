// The Node data host: files beside the program, read as text; a `.gz` file is read unzipped.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fileDataHost } from "../../src/api/host.js";

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
