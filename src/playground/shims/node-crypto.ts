// What the browser bundle gets for `node:crypto` (an esbuild alias in scripts/build-playground.mjs). The runtime
// imports `createHash` only to digest the data sets a checkpoint records, so that `--resume` refuses data that
// changed; the playground never resumes from disk, so a real SHA-256 is not needed: FNV-1a (64 bits, two lanes)
// gives a stable, distinct hex string. Anything else from node:crypto is a bundling mistake and throws.

class Digest {
  private a = 0x811c9dc5;
  private b = 0x01000193;

  update(data: string): this {
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      this.a = Math.imul(this.a ^ c, 0x01000193) >>> 0;
      this.b = Math.imul(this.b ^ c, 0x5bd1e995) >>> 0;
    }
    return this;
  }

  digest(encoding: "hex"): string {
    if (encoding !== "hex") throw new Error(`playground node:crypto shim: digest("${String(encoding)}") is not supported`);
    return this.a.toString(16).padStart(8, "0") + this.b.toString(16).padStart(8, "0");
  }
}

export function createHash(algorithm: string): Digest {
  if (algorithm !== "sha256") throw new Error(`playground node:crypto shim: createHash("${algorithm}") is not supported`);
  return new Digest();
}

export function randomBytes(): never {
  throw new Error("playground node:crypto shim: randomBytes is not available in the browser (the response cache is not bundled)");
}
