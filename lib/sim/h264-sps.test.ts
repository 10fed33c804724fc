import { describe, expect, it } from "vitest";
import { findSpsPictureSize, spsPictureSize } from "./h264-sps";
import { buildH264AccessUnit } from "./rtp-packet";

describe("spsPictureSize", () => {
  it("reads the simulated camera's SPS as 640x480, as a real ZLM reported it", () => {
    expect(findSpsPictureSize(buildH264AccessUnit(0))).toEqual({ width: 640, height: 480 });
  });

  it("applies frame cropping (1920x1088 coded, cropped to 1080)", () => {
    // High profile 1080p SPS as x264 writes it.
    const sps = Buffer.from("6764002aacd940780227e5c04400000300040000030128", "hex");
    expect(spsPictureSize(sps)).toEqual({ width: 1920, height: 1080 });
  });

  it("is null for a NAL that is not an SPS, or a cut-off one", () => {
    expect(spsPictureSize(Buffer.from([0x68, 0xce, 0x38, 0x80]))).toBeNull();
    expect(spsPictureSize(Buffer.from([0x67, 0x42, 0x00]))).toBeNull();
    expect(findSpsPictureSize(buildH264AccessUnit(1))).toBeNull();
  });
});
