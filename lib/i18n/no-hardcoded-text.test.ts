import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";

/**
 * The translated views put no English in their JSX: text nodes and the
 * user-visible attributes (placeholder, aria-label, title, alt) come from
 * i18next. ZLM's own terms and units are allowed as they are.
 */
const root = path.resolve(__dirname, "../..");
const AREAS = ["app/wall", "app/search", "app/streams", "app/ports", "components/activity", "components/investigation", "components/actions", "components/incidents", "components/alerts", "app/alerts", "components/ui/search-box.tsx"];
const ALLOWED = /^(?:tcp_mode|SSRC|ZLM|hook_index|s|B\/s|Portscope)$/;

function files(p: string): string[] {
  const full = path.join(root, p);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(p, e.name)) : e.name.endsWith(".tsx") ? [path.join(full, e.name)] : []));
}

/** English-looking words in a piece of visible text, minus the allowed terms. */
function englishWords(text: string): string[] {
  return (text.match(/[A-Za-z][A-Za-z_/']*/g) ?? []).filter((w) => !ALLOWED.test(w));
}

function hardCodedText(source: string): string[] {
  const found: string[] = [];
  // JSX text between a tag's end and the next tag or expression, e.g. `<th>Port</th>`. Text with
  // parentheses or "=" is skipped, as it cannot be told from code this cheaply.
  for (const m of source.matchAll(/(?<!=)>([^<>{}=;()]*[A-Za-z][^<>{}=;()]*)(?=[<{])/g)) {
    const text = m[1].trim();
    if (text && englishWords(text).length > 0) found.push(text);
  }
  for (const m of source.matchAll(/\b(?:placeholder|aria-label|title|alt)="([^"]*)"/g)) if (englishWords(m[1]).length > 0) found.push(m[1]);
  return found;
}

describe("no hard-coded English in the translated views", () => {
  it("catches what it is meant to catch", () => {
    expect(hardCodedText(`<th>Port</th><td>{x}</td><input placeholder="filter key" /><span>{t("a")} s</span><th>tcp_mode</th>`)).toEqual(["Port", "filter key"]);
  });
  const all = AREAS.flatMap(files);
  it("scans the views", () => expect(all.length).toBeGreaterThan(10));
  for (const f of all) {
    it(path.relative(root, f), () => {
      expect(hardCodedText(fs.readFileSync(f, "utf8"))).toEqual([]);
    });
  }
});
