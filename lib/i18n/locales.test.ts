import { describe, expect, it } from "vitest";
import { commonText } from "./locales/common";
import { overviewText } from "./locales/overview";
import { timelineText } from "./locales/timeline";
import { wallText } from "./locales/wall";
import { investigationText } from "./locales/investigation";
import { actionsText } from "./locales/actions";
import { searchText } from "./locales/search";

// resources.ts spreads the area files into one object: a top-level key in two files would silently drop one.
const AREAS = { commonText, overviewText, timelineText, wallText, investigationText, actionsText, searchText };

describe("locale area files", () => {
  it("own disjoint top-level keys, the same in both languages", () => {
    const owner = new Map<string, string>();
    for (const [area, text] of Object.entries(AREAS)) {
      expect(Object.keys(text.zh).sort(), area).toEqual(Object.keys(text.en).sort());
      for (const key of Object.keys(text.en)) {
        expect(owner.get(key), `"${key}" is in ${owner.get(key)} and ${area}`).toBeUndefined();
        owner.set(key, area);
      }
    }
  });
});
