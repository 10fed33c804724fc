/**
 * Reads the recordings of a real ZLM (../shared/zlm-fixtures) for tests.
 * Test-only helper; the directory can be moved with ZLM_FIXTURES_DIR.
 */
import fs from "node:fs";
import path from "node:path";

export const FIXTURES_DIR = process.env.ZLM_FIXTURES_DIR ?? path.resolve(__dirname, "../../../shared/zlm-fixtures");

export interface ApiFixture {
  file: string;
  label: string;
  request: { method: string; path: string; query: Record<string, string> | null; body: unknown };
  response: { status: number; set_cookie: boolean; body_raw: string; json: unknown };
}

export interface HookFixture {
  file: string;
  path: string;
  body_raw: string;
  json: Record<string, unknown>;
}

export function apiFixtures(): ApiFixture[] {
  const dir = path.join(FIXTURES_DIR, "api");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Omit<ApiFixture, "file">) }));
}

export function hookFixtures(): HookFixture[] {
  const dir = path.join(FIXTURES_DIR, "hooks");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Omit<HookFixture, "file">) }));
}

export function sequenceFiles(): string[] {
  const dir = path.join(FIXTURES_DIR, "sequences");
  return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(dir, f));
}

/** `/index/api/openRtpServer` -> `openRtpServer`; `/index/hook/on_publish` -> `on_publish`. */
export function lastSegment(p: string): string {
  return p.split("?")[0].split("/").filter(Boolean).pop() ?? "";
}
