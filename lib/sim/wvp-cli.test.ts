import { describe, expect, it } from "vitest";
import { parsePlatformArgs } from "./wvp-cli";
import { median, summarizePlays } from "./wvp-summary";

describe("npm run sim -- platform", () => {
  it("reads its flags with defaults and names a bad one", () => {
    expect(parsePlatformArgs(["--zlm-url", "http://127.0.0.1:8080", "--secret", "s"])).toMatchObject({ channels: 10, seed: 1, "duration-sec": 60, "stream-ids": "channel", "play-timeout-ms": 10_000 });
    expect(parsePlatformArgs(["--zlm-url", "http://127.0.0.1:8080", "--secret", "s", "--stream-ids", "ssrc", "--verbose"])).toMatchObject({ "stream-ids": "ssrc", verbose: true });
    expect(() => parsePlatformArgs(["--zlm-url", "nope", "--secret", "s"])).toThrow(/--zlm-url/);
    expect(() => parsePlatformArgs(["--zlm-url", "http://127.0.0.1:8080", "--secret", "s", "--cameras", "3"])).toThrow(/unknown argument "--cameras"/);
  });

  it("summarises: 'already exists' apart from other ZLM failures, median time to first media", () => {
    const s = summarizePlays({ plays: 5, opened: 3, joinedLive: 0, openFailures: { "-300 This stream already exists": 1, "-400 none reserved port in pool": 1 }, alreadyExists: 1, playTimeouts: 1, withMedia: 2, firstMediaMs: [900, 1500, 300], actions: 4, actionsTimedOut: 1, actionsWithMedia: 2 });
    expect(s).toEqual({ plays: 5, alreadyExists: 1, otherFailures: { "-400 none reserved port in pool": 1 }, playTimeouts: 1, withMedia: 2, medianFirstMediaMs: 900, actions: 4, actionsTimedOut: 1 });
    expect(median([1, 2, 3, 4])).toBe(3);
    expect(median([])).toBeNull();
  });
});
