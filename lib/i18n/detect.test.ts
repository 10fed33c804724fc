import { describe, expect, it } from "vitest";
import { detectLanguage } from "./provider";
import { resources } from "./resources";

describe("language", () => {
  it("prefers ?lang=, then the saved choice, then the browser", () => {
    expect(detectLanguage("?lang=zh", "en", "en-US")).toBe("zh");
    expect(detectLanguage("", "zh", "en-US")).toBe("zh");
    expect(detectLanguage("", null, "zh-CN")).toBe("zh");
    expect(detectLanguage("", null, "fr-FR")).toBe("en");
  });
  it("has every English key in Chinese", () => {
    const keys = (o: object, p = ""): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(resources.zh.translation).sort()).toEqual(keys(resources.en.translation).sort());
  });
});
