import { describe, expect, it } from "vitest";
import { nextNode, parseRotateSec } from "./kiosk";

describe("kiosk rotation", () => {
  it("parses ?rotate= with a default, an off switch and bounds", () => {
    expect(parseRotateSec(null)).toBe(30);
    expect(parseRotateSec("0")).toBe(0);
    expect(parseRotateSec("nope")).toBe(0);
    expect(parseRotateSec("1")).toBe(5);
    expect(parseRotateSec("45")).toBe(45);
    expect(parseRotateSec("99999")).toBe(600);
  });

  it("cycles through the nodes in order", () => {
    expect(nextNode(["a", "b", "c"], undefined)).toBe("a");
    expect(nextNode(["a", "b", "c"], "a")).toBe("b");
    expect(nextNode(["a", "b", "c"], "c")).toBe("a");
    expect(nextNode(["a", "b"], "gone")).toBe("a");
    expect(nextNode([], "a")).toBeUndefined();
  });
});
