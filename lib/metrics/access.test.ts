import { describe, expect, it } from "vitest";
import { metricsAccess } from "./access";

const TOKEN = "0123456789abcdef-token";
describe("who may scrape /metrics", () => {
  it("with a token: the right bearer only, from anywhere", () => {
    const cfg = { token: TOKEN, allow: null };
    expect(metricsAccess(cfg, { authorization: `Bearer ${TOKEN}`, remoteAddress: "10.0.0.9" })).toEqual({ ok: true });
    expect(metricsAccess(cfg, { authorization: `Bearer ${TOKEN}`, remoteAddress: null })).toEqual({ ok: true });
    expect(metricsAccess(cfg, { authorization: "Bearer nope", remoteAddress: "127.0.0.1" })).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: "127.0.0.1" })).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(cfg, { authorization: `Basic ${TOKEN}`, remoteAddress: null })).toMatchObject({ ok: false, status: 401 });
  });
  it("with an allow-list: listed sources (IPv4-mapped too), others refused", () => {
    const cfg = { token: null, allow: ["10.0.0.5"] };
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: "::ffff:10.0.0.5" })).toEqual({ ok: true });
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: "10.0.0.6" })).toMatchObject({ ok: false, status: 403 });
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: "127.0.0.1" })).toMatchObject({ ok: false, status: 403 });
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: null })).toMatchObject({ ok: false, status: 403 });
  });
  it("with neither: loopback on the listener only", () => {
    const cfg = { token: null, allow: null };
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: "127.0.0.1" })).toEqual({ ok: true });
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: "::1" })).toEqual({ ok: true });
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: "192.168.1.2" })).toMatchObject({ ok: false, status: 403 });
    expect(metricsAccess(cfg, { authorization: null, remoteAddress: null })).toMatchObject({ ok: false, status: 403 });
  });
});
