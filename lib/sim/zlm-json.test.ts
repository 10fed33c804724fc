import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { float, toZlmJson, type ZlmJson } from "./zlm-json";

const fixtures = path.resolve(__dirname, "../../../shared/zlm-fixtures");

/** Re-types parsed JSON so floats that ZLM printed with ".0" stay floats. */
function retype(raw: string, v: unknown): ZlmJson {
  const floatKeys = new Set(["fps", "loss"]);
  const walk = (x: unknown, key?: string): ZlmJson => {
    if (Array.isArray(x)) return x.map((c) => walk(c));
    if (x && typeof x === "object") {
      const o: { [k: string]: ZlmJson } = {};
      for (const [k, c] of Object.entries(x)) o[k] = walk(c, k);
      return o;
    }
    if (typeof x === "number" && key && floatKeys.has(key)) return float(x);
    return x as ZlmJson;
  };
  void raw;
  return walk(v);
}

describe("toZlmJson", () => {
  it("reproduces every recorded JSON answer byte for byte", () => {
    const dir = path.join(fixtures, "api");
    let checked = 0;
    for (const f of fs.readdirSync(dir)) {
      const { response } = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      if (response.json === null) continue;
      expect(toZlmJson(retype(response.body_raw, response.json)), f).toBe(response.body_raw);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("reproduces every recorded hook body byte for byte", () => {
    const dir = path.join(fixtures, "hooks");
    for (const f of fs.readdirSync(dir)) {
      const hook = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      expect(toZlmJson(retype(hook.body_raw, hook.json)), f).toBe(hook.body_raw);
    }
  });

  it("prints short scalar arrays on one line and empty containers inline", () => {
    expect(toZlmJson({ code: 0, data: ["1234"], tracks: [], o: {} })).toBe(
      '{\n\t"code" : 0,\n\t"data" : [ "1234" ],\n\t"o" : {},\n\t"tracks" : []\n}\n',
    );
  });

  it("escapes non-ASCII as UTF-16 units and keeps a decimal point on floats", () => {
    expect(toZlmJson({ msg: "仅支持", loss: float(-1), fps: float(25) })).toBe(
      '{\n\t"fps" : 25.0,\n\t"loss" : -1.0,\n\t"msg" : "\\u4ec5\\u652f\\u6301"\n}\n',
    );
  });
});
