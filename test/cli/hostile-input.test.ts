// What `tgc check` prints for files that are not ordinary programs: escape sequences must not reach the terminal,
// and a binary file is one error, not pages of them.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tgc } from "./run-cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tgc-test-"));

describe("tgc check on hostile input", () => {
  it("shows a file's escape sequences as visible pictures, in frames and messages; JSON keeps them escaped", () => {
    const dir = tmp();
    const file = join(dir, "esc.tg");
    writeFileSync(file, 'engine e = sim()\nfrozen q: "x" = "a" \u001b]0;PWNED\u0007\u001b[2J\n');
    const r = tgc(["check", file], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TG1003");
    expect(r.stderr).not.toContain("\u001b");
    expect(r.stderr).not.toContain("\u0007");
    expect(r.stderr).toContain("\u241b]0;PWNED\u2407\u241b[2J");
    const json = tgc(["check", file, "--format", "json"], dir);
    expect(json.stdout).not.toContain("\u001b");
    const messages = (JSON.parse(json.stdout) as { diagnostics: { message: string }[] }).diagnostics.map((d) => d.message);
    expect(messages.some((m) => m.includes("\u001b"))).toBe(true);
  });

  it("reports a binary file once, saying where its NUL byte is", () => {
    const dir = tmp();
    const file = join(dir, "binary.tg");
    writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x0a, 0x02, 0x01, 0x00, ...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)]));
    const r = tgc(["check", file], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/TG\d{4}/g)).toEqual(["TG1008"]);
    expect(r.stderr).toContain("binary.tg:2:3: error TG1008: this is not a text program: it contains a NUL byte at 2:3");
  });

  it("reports an imported binary module once, not also the names it fails to declare", () => {
    const dir = tmp();
    writeFileSync(join(dir, "lib.tg"), 'data a = jsonl("x")\u0000\n');
    writeFileSync(join(dir, "main.tg"), 'import { a } from "./lib.tg"\n');
    const r = tgc(["check", "main.tg"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/TG\d{4}/g)).toEqual(["TG1008"]);
  });
});
