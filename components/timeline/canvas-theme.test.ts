import { describe, expect, it } from "vitest";
import { CANVAS_VARS, themeFrom } from "./canvas-theme";

describe("canvas theme", () => {
  it("reads every chrome colour from its CSS variable", () => {
    const theme = themeFrom((v) => (v === "--ps-canvas-bg" ? " #ffffff " : v === "--ps-canvas-label" ? "#0f172a" : ""));
    expect(theme.bg).toBe("#ffffff");
    expect(theme.label).toBe("#0f172a");
  });
  it("falls back to today's dark colours when a variable is not set", () => {
    const theme = themeFrom(() => "");
    for (const [k, [, dark]] of Object.entries(CANVAS_VARS)) expect(theme[k as keyof typeof theme]).toBe(dark);
  });
});
