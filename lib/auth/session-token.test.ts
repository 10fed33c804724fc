import { describe, expect, it } from "vitest";
import { csrfToken, readCookie, signSession, verifySession } from "./session-token";

const SECRET = "s".repeat(40);
const claims = { user: "ana", role: "operator" as const, sid: "sid-1", exp: 2_000 };

describe("session cookies", () => {
  it("verify with the same secret before expiry", () => {
    expect(verifySession(SECRET, signSession(SECRET, claims), 1_000)).toEqual(claims);
  });

  it("are refused when expired, signed with another secret, or altered", () => {
    const token = signSession(SECRET, claims);
    expect(verifySession(SECRET, token, 2_000)).toBeNull();
    expect(verifySession("t".repeat(40), token, 1_000)).toBeNull();
    const [body, mac] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ u: "ana", r: "admin", s: "sid-1", e: 2_000 })).toString("base64url");
    expect(verifySession(SECRET, `${forged}.${mac}`, 1_000)).toBeNull();
    expect(verifySession(SECRET, `${body}.${mac}x`, 1_000)).toBeNull();
    expect(verifySession(SECRET, "garbage", 1_000)).toBeNull();
    expect(verifySession(SECRET, null, 1_000)).toBeNull();
  });

  it("bind the CSRF token to the session", () => {
    expect(csrfToken(SECRET, "sid-1")).toBe(csrfToken(SECRET, "sid-1"));
    expect(csrfToken(SECRET, "sid-1")).not.toBe(csrfToken(SECRET, "sid-2"));
  });

  it("are read from a Cookie header by name", () => {
    expect(readCookie("a=1; portscope_session=x%3Dy; b=2", "portscope_session")).toBe("x=y");
    expect(readCookie("a=1", "portscope_session")).toBeNull();
    expect(readCookie(null, "a")).toBeNull();
  });
});
