import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";

/**
 * The browser side never talks to ZLM and never pulls in server-only code
 * (STYLE.md: data flows ZLM -> ingest -> log -> SSE -> browser).
 */
const root = path.resolve(__dirname, "../..");
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.(tsx?|jsx?)$/.test(e.name) ? [path.join(dir, e.name)] : []));
}
const clientFiles = [...files(path.join(root, "components")), ...files(path.join(root, "lib/queries")), ...files(path.join(root, "lib/ui")), ...files(path.join(root, "app")).filter((f) => fs.readFileSync(f, "utf8").startsWith('"use client"'))].filter((f) => !f.endsWith(".test.ts"));
const FORBIDDEN = [/from ["']server-only["']/, /\.server["']/, /lib\/zlm\/client/, /lib\/sim\//, /lib\/events\/sqlite-store/, /node:/];

describe("module boundaries", () => {
  it("finds the client-side files", () => {
    expect(clientFiles.length).toBeGreaterThan(15);
  });
  for (const f of clientFiles) {
    it(`${path.relative(root, f)} imports nothing server-only`, () => {
      const imports = fs.readFileSync(f, "utf8").split("\n").filter((l) => /^\s*import\b/.test(l) || /from ["']/.test(l));
      for (const re of FORBIDDEN) expect(imports.filter((l) => re.test(l)), `${re}`).toEqual([]);
    });
  }
});
