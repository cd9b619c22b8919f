// The text renderer must never pass a file's control characters to a terminal, and must keep carets aligned.
import { describe, expect, it } from "vitest";
import { diagnostic } from "../../src/diagnostics/diagnostic.js";
import { renderDiagnostic, toJson, visible } from "../../src/diagnostics/render.js";
import { SourceText } from "../../src/diagnostics/source.js";
import { parse } from "../../src/syntax/parse.js";

const hostile = 'frozen q: "x" = "a\u001b]0;PWNED\u0007\u001b[2Jb" \u001b]0;PWNED\u0007\u001b[2J\u009b31m\u007f\n';
const file = "evil\u001b[2J.tg";

/** Any character a terminal might act on: C0 but tab and newline, DEL, C1. */
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("renderDiagnostic", () => {
  it("shows control characters visibly, one character each", () => {
    expect(visible("a\u001b[2J\u0007\u0000\u007f\u0085\tb\nc")).toBe("a\u241b[2J\u2407\u2400\u2421\ufffd\tb\nc");
    // Bidirectional overrides and isolates, and the Unicode line separators, would reorder or break the line shown.
    expect(visible("x\u202eevil\u202c\u2066y\u2069\u2028z\u2029")).toBe("x\ufffdevil\ufffd\ufffdy\ufffd\ufffdz\ufffd");
  });

  it("never lets an escape through, in the frame, the message, the hint, notes or the path", () => {
    const source = new SourceText(file, hostile);
    const { diagnostics } = parse(hostile, file);
    expect(diagnostics.some((d) => d.code === "TG1003")).toBe(true);
    const extra = diagnostic("TG2002", "unknown name '\u001b[2J'", { file, start: 0, end: 6 }, {
      hint: "did you mean '\u001b]0;x\u0007'?",
      related: [{ message: "see \u009b1m", range: { file: "other\u001b.tg", start: 0, end: 1 } }],
    });
    for (const d of [...diagnostics, extra]) {
      for (const color of [false, true]) {
        const text = renderDiagnostic(d, source, { color });
        // With colour, the renderer's own SGR sequences are the only escapes.
        const own = text.replace(/\u001b\[[0-9;]*m/g, "");
        expect(own).not.toMatch(controls);
        if (!color) expect(text).not.toContain("\u001b");
      }
      expect(renderDiagnostic(d, undefined)).not.toMatch(controls);
    }
  });

  it("keeps the caret under the character it marks", () => {
    const text = "frozen q: \"x\" = \"\u001b\u001b\" \u001b\n";
    const source = new SourceText("f.tg", text);
    const at = text.lastIndexOf("\u001b");
    const out = renderDiagnostic(diagnostic("TG1003", "unexpected character", { file: "f.tg", start: at, end: at + 1 }), source);
    const [, frame, carets] = out.split("\n");
    expect(frame!.lastIndexOf("\u241b")).toBe(carets!.indexOf("^"));
  });

  it("leaves JSON alone: its string escaping already keeps the text intact", () => {
    const source = new SourceText(file, hostile);
    const d = parse(hostile, file).diagnostics.find((x) => x.code === "TG1003")!;
    expect(toJson(d, source).message).toContain("\u001b");
  });
});
