import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";

/**
 * The import boundaries of docs/architecture.md, enforced. Data flows one way:
 * ZLM -> ingest (hooks, polls, tap) -> event log (one writer) -> bus -> SSE ->
 * browser cache -> components. No lib/ module imports app/ or components/; no
 * module imports itself through others (type imports count: a circle of types
 * is a circle of ideas); each lib/ folder imports only the folders the table
 * below allows; browser code pulls in nothing server-only.
 */
const root = path.resolve(__dirname, "..");

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

const sources = ["app", "components", "lib"].flatMap((d) => files(path.join(root, d))).filter((f) => !/\.test\.tsx?$/.test(f));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^;]*?\sfrom\s)?["']([^"']+)["']/g;

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(root, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const ext of ["", ".ts", ".tsx", "/index.ts", "/index.tsx"]) if (fs.existsSync(base + ext) && fs.statSync(base + ext).isFile()) return base + ext;
  return null;
}

const rel = (f: string) => path.relative(root, f);
const imports = new Map<string, { spec: string; target: string | null }[]>(sources.map((f) => [f, [...fs.readFileSync(f, "utf8").matchAll(IMPORT)].map((m) => ({ spec: m[1], target: resolve(f, m[1]) }))]));

/** `lib/<folder>` for lib files, the top folder otherwise. */
function area(f: string): string {
  const parts = rel(f).split(path.sep);
  return parts[0] === "lib" ? (parts.length > 2 ? `lib/${parts[1]}` : "lib") : parts[0];
}

/** What each lib/ folder may import besides itself (docs/architecture.md, "who may import what"). */
const ALLOWED: Record<string, string[]> = {
  "lib/zlm": [],
  "lib/config": ["lib/zlm"],
  "lib/auth": ["lib/config", "lib/events"],
  "lib/i18n": ["lib/ui"],
  "lib/sim": ["lib/zlm"],
  "lib/lifecycle": ["lib/events", "lib/zlm"],
  "lib/events": ["lib/lifecycle", "lib/live", "lib/zlm"],
  "lib/live": ["lib/events", "lib/lifecycle"],
  "lib/diagnosis": ["lib/events", "lib/lifecycle", "lib/zlm"],
  "lib/actions": ["lib/diagnosis", "lib/events", "lib/lifecycle", "lib/zlm"],
  "lib/tap": ["lib/actions", "lib/diagnosis", "lib/events", "lib/lifecycle", "lib/zlm"],
  "lib/ingest": ["lib/events", "lib/lifecycle", "lib/tap", "lib/zlm"],
  "lib/api": ["lib/events", "lib/ingest", "lib/lifecycle", "lib/diagnosis"],
  "lib/nodes": ["lib/config", "lib/ingest", "lib/lifecycle", "lib/sim", "lib/tap", "lib/zlm"],
  "lib/queries": ["lib/actions", "lib/alerts", "lib/api", "lib/auth", "lib/diagnosis", "lib/events", "lib/ingest", "lib/lifecycle", "lib/live", "lib/nodes"],
  "lib/ui": ["lib/api", "lib/events", "lib/lifecycle", "lib/nodes"],
  "lib/metrics": ["lib/events", "lib/lifecycle", "lib/live"],
  "lib/notify": ["lib/events"],
  "lib/alerts": ["lib/actions", "lib/config", "lib/events", "lib/lifecycle", "lib/notify"],
  "lib/runtime": ["lib/actions", "lib/alerts", "lib/metrics", "lib/auth", "lib/config", "lib/diagnosis", "lib/events", "lib/ingest", "lib/live", "lib/nodes", "lib/tap", "lib/zlm"],
  "lib/testing": ["lib/actions", "lib/alerts", "lib/metrics", "lib/notify", "lib/api", "lib/auth", "lib/queries", "lib/config", "lib/diagnosis", "lib/events", "lib/ingest", "lib/lifecycle", "lib/live", "lib/nodes", "lib/sim", "lib/tap", "lib/zlm"],
};

describe("import boundaries", () => {
  it("reads the sources and resolves their imports", () => {
    expect(sources.length).toBeGreaterThan(150);
    const local = [...imports.values()].flat().filter((i) => i.spec.startsWith(".") || i.spec.startsWith("@/"));
    expect(local.length).toBeGreaterThan(300);
    expect(local.filter((i) => i.target === null).map((i) => i.spec)).toEqual([]);
  });

  it("no lib/ module imports from app/ or components/", () => {
    const bad = [...imports].flatMap(([f, list]) => (area(f).startsWith("lib") ? list.filter((i) => i.target && /^(app|components)$/.test(area(i.target))).map((i) => `${rel(f)} -> ${i.spec}`) : []));
    expect(bad).toEqual([]);
  });

  it("each lib/ folder imports only what docs/architecture.md allows", () => {
    const bad: string[] = [];
    for (const [f, list] of imports) {
      const from = area(f);
      if (!from.startsWith("lib/")) continue;
      const allowed = ALLOWED[from];
      if (!allowed) {
        bad.push(`${from} is not in the table`);
        continue;
      }
      for (const i of list) if (i.target && area(i.target) !== from && area(i.target).startsWith("lib/") && !allowed.includes(area(i.target))) bad.push(`${rel(f)} -> ${rel(i.target)}`);
    }
    expect([...new Set(bad)]).toEqual([]);
  });

  it("no module imports itself through others (no circles)", () => {
    // Tarjan's strongly connected components over the file graph.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    let n = 0;
    const visit = (v: string) => {
      index.set(v, n);
      low.set(v, n++);
      stack.push(v);
      onStack.add(v);
      for (const { target: w } of imports.get(v) ?? []) {
        if (!w || !imports.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(rel(w));
        } while (w !== v);
        if (comp.length > 1) circles.push(comp.sort());
      }
    };
    for (const f of imports.keys()) if (!index.has(f)) visit(f);
    expect(circles).toEqual([]);
  });
});

describe("the browser side", () => {
  const clientFiles = sources.filter((f) => /^(components|lib\/queries|lib\/ui)$/.test(area(f)) || (area(f) === "app" && fs.readFileSync(f, "utf8").startsWith('"use client"')));
  const FORBIDDEN = [/^server-only$/, /\.server$/, /lib\/zlm\/client/, /lib\/sim\//, /lib\/events\/sqlite/, /^node:/, /lib\/runtime\//];

  it("finds the client-side files", () => {
    expect(clientFiles.length).toBeGreaterThan(15);
  });
  for (const f of clientFiles) {
    it(`${rel(f)} imports nothing server-only`, () => {
      const bad = (imports.get(f) ?? []).filter((i) => FORBIDDEN.some((re) => re.test(i.spec) || (i.target !== null && re.test(rel(i.target).replace(/\.tsx?$/, "")))));
      expect(bad.map((i) => i.spec)).toEqual([]);
    });
  }
});
