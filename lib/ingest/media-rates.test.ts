import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES_DIR } from "../zlm/fixtures";
import { mediaRates, type MediaRow } from "./media-rates";

describe("mediaRates", () => {
  it("takes the rtsp entry's bytesSpeed for each stream of a recorded getMediaList answer", () => {
    const seq = JSON.parse(readFileSync(path.join(FIXTURES_DIR, "sequences/stream_s1.json"), "utf8")) as { captures: { url: string; raw: string }[] };
    const capture = seq.captures.find((c) => c.url.includes("/getMediaList") && c.raw.includes('"data"'));
    const answer = JSON.parse(capture!.raw) as { data: MediaRow[] };
    const rates = mediaRates(answer.data);
    expect(rates).toHaveLength(1);
    expect(rates[0]).toMatchObject({ key: "__defaultVhost__/rtp/s1", bytesSpeed: 25012, totalBytes: 92047, schemas: 5 });
  });
  it("falls back to the busiest protocol when rtsp is off, and keeps streams apart", () => {
    const rows = [
      { vhost: "v", app: "rtp", stream: "a", schema: "rtmp", bytesSpeed: 10 },
      { vhost: "v", app: "rtp", stream: "a", schema: "ts", bytesSpeed: 30 },
      { vhost: "v", app: "rtp", stream: "b", schema: "fmp4" },
    ];
    expect(mediaRates(rows).map((r) => [r.key, r.bytesSpeed, r.schemas])).toEqual([
      ["v/rtp/a", 30, 2],
      ["v/rtp/b", 0, 1],
    ]);
  });
});
