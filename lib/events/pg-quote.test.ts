import { expect, it } from "vitest";
import pg from "pg";
import { quoteLiteral } from "./pg-store.server";

it("quotes text exactly as the driver does, with or without quotes and backslashes", () => {
  const samples = ["", "plain", "__defaultVhost__/rtp/34020000001320000001", "it's", "''", "C:\\path", "back\\'slash", '{"a":"b\\"c"}', "中文 ✓", "\n\t"];
  for (const s of samples) expect(quoteLiteral(s)).toBe(pg.escapeLiteral(s));
  expect(quoteLiteral("plain")).toBe("'plain'");
  expect(quoteLiteral("C:\\x")).toBe(" E'C:\\\\x'");
});
