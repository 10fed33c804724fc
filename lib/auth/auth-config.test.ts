import { describe, expect, it } from "vitest";
import { parseAuthConfig } from "./auth-config";
import { checkPassword, hashPassword } from "./users";
import { csrfProblem, identify } from "./identify";
import { csrfToken, signSession } from "./session-token";

const noFile = () => {
  throw new Error("no file");
};
const HASH = hashPassword("pw-ana", 4);

describe("sign-in settings", () => {
  it("demo mode without users gets the three demo accounts", async () => {
    const cfg = parseAuthConfig({}, noFile);
    expect(cfg.demoAccounts?.map((a) => a.role)).toEqual(["viewer", "operator", "admin"]);
    expect((await checkPassword(cfg.users, "operator", "demo"))?.role).toBe("operator");
    expect(await checkPassword(cfg.users, "operator", "wrong")).toBeNull();
  });

  it("outside demo mode users are required, named by variable", () => {
    expect(() => parseAuthConfig({ ZLM_URL: "http://z", ZLM_SECRET: "s" }, noFile)).toThrow(/PORTSCOPE_USERS/);
    const cfg = parseAuthConfig({ ZLM_URL: "http://z", ZLM_SECRET: "s", PORTSCOPE_USERS: `ana:operator:${HASH}` }, noFile);
    expect(cfg.users).toEqual([{ user: "ana", role: "operator", passwordHash: HASH }]);
    expect(cfg.demoAccounts).toBeNull();
  });

  it("bad values stop start-up naming the variable", () => {
    expect(() => parseAuthConfig({ PORTSCOPE_USERS: "ana:boss:" + HASH }, noFile)).toThrow(/PORTSCOPE_USERS: .*role/);
    expect(() => parseAuthConfig({ PORTSCOPE_USERS: "ana:viewer:plaintext" }, noFile)).toThrow(/bcrypt/);
    expect(() => parseAuthConfig({ PORTSCOPE_USERS: `ana:viewer:${HASH},ana:admin:${HASH}` }, noFile)).toThrow(/appears twice/);
    expect(() => parseAuthConfig({ PORTSCOPE_AUTH_HEADER: "x-forwarded-user" }, noFile)).toThrow(/PORTSCOPE_AUTH_HEADER_SOURCES/);
    expect(() => parseAuthConfig({ PORTSCOPE_TRUSTED_PROXIES: "nginx" }, noFile)).toThrow(/PORTSCOPE_TRUSTED_PROXIES/);
    expect(() => parseAuthConfig({ PORTSCOPE_SESSION_SECRET: "short" }, noFile)).toThrow(/PORTSCOPE_SESSION_SECRET/);
    expect(() => parseAuthConfig({ PORTSCOPE_USERS_FILE: "/nope.json" }, noFile)).toThrow(/PORTSCOPE_USERS_FILE/);
  });
});

describe("who is asking", () => {
  const cfg = parseAuthConfig({ PORTSCOPE_USERS: `ana:operator:${HASH}`, PORTSCOPE_SESSION_SECRET: "x".repeat(40), PORTSCOPE_AUTH_HEADER: "X-Forwarded-User", PORTSCOPE_AUTH_HEADER_SOURCES: "10.0.0.5", PORTSCOPE_TRUSTED_PROXIES: "10.0.0.5" }, noFile);
  const headers = (h: Record<string, string>) => new Headers(h);
  const cookie = (user: string, role: "viewer" | "operator" | "admin") => `portscope_session=${signSession(cfg.sessionSecret, { user, role, sid: "s1", exp: Date.now() + 60_000 })}`;

  it("a valid cookie of a listed user, with the role the list gives now", () => {
    expect(identify(headers({ cookie: cookie("ana", "admin"), "x-portscope-peer": "127.0.0.1" }), cfg)?.actor).toMatchObject({ user: "ana", role: "operator", via: "session", clientAddress: "127.0.0.1" });
    expect(identify(headers({ cookie: cookie("bob", "admin") }), cfg)).toBeNull();
    expect(identify(headers({}), cfg)).toBeNull();
  });

  it("a proxy's user header only from the allowed proxy", () => {
    expect(identify(headers({ "x-forwarded-user": "carol", "x-portscope-peer": "10.0.0.5", "x-forwarded-for": "198.51.100.2" }), cfg)?.actor).toMatchObject({ user: "carol", role: "viewer", via: "proxy-header", clientAddress: "198.51.100.2" });
    expect(identify(headers({ "x-forwarded-user": "carol", "x-portscope-peer": "10.0.0.6" }), cfg)).toBeNull();
  });

  it("a state change needs the session's CSRF token and, when sent, this site's Origin", () => {
    const id = identify(headers({ cookie: cookie("ana", "operator") }), cfg)!;
    const token = csrfToken(cfg.sessionSecret, "s1");
    expect(csrfProblem(headers({ host: "ps:3000", "x-csrf-token": token }), id, cfg)).toBeNull();
    expect(csrfProblem(headers({ host: "ps:3000", "x-csrf-token": token, origin: "http://ps:3000", "sec-fetch-site": "same-origin" }), id, cfg)).toBeNull();
    expect(csrfProblem(headers({ host: "ps:3000" }), id, cfg)).toMatch(/x-csrf-token/);
    expect(csrfProblem(headers({ host: "ps:3000", "x-csrf-token": "nope" }), id, cfg)).toMatch(/x-csrf-token/);
    expect(csrfProblem(headers({ host: "ps:3000", "x-csrf-token": token, origin: "http://evil.example" }), id, cfg)).toMatch(/not this site/);
    expect(csrfProblem(headers({ host: "ps:3000", "x-csrf-token": token, "sec-fetch-site": "cross-site" }), id, cfg)).toMatch(/cross-site/);
  });
});
