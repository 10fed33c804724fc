import { describe, expect, it } from "vitest";
import vm from "node:vm";
import { pickTheme, THEME_BOOT_SCRIPT } from "./theme";

describe("pickTheme", () => {
  it("takes ?theme= first, then the saved choice, then the system", () => {
    expect(pickTheme("?theme=light", "dark", false)).toBe("light");
    expect(pickTheme("?theme=bogus", "light", false)).toBe("light");
    expect(pickTheme("", null, true)).toBe("light");
    expect(pickTheme("", "weird", false)).toBe("dark");
  });

  it("the boot script applies the same rule before React runs", () => {
    const cases: [string, string | null, boolean][] = [["?theme=dark", "light", true], ["", "light", false], ["", null, true], ["", null, false], ["?theme=x", null, true]];
    for (const [search, saved, prefersLight] of cases) {
      const documentElement = { dataset: {} as Record<string, string> };
      vm.runInNewContext(THEME_BOOT_SCRIPT, {
        URLSearchParams,
        location: { search },
        localStorage: { getItem: () => saved },
        matchMedia: () => ({ matches: prefersLight }),
        document: { documentElement },
      });
      expect(documentElement.dataset.theme).toBe(pickTheme(search, saved, prefersLight));
    }
  });
});
