import { describe, expect, it } from "vitest";
import { clientAddress, ipMatches } from "./client-address";

describe("client address", () => {
  it("is the socket's peer when the peer is not a trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.9", "10.1.2.3", [])).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9", "10.1.2.3", ["127.0.0.1"])).toBe("203.0.113.9");
    expect(clientAddress("::ffff:127.0.0.1", null, [])).toBe("127.0.0.1");
  });

  it("behind trusted proxies is the first untrusted hop from the right", () => {
    expect(clientAddress("127.0.0.1", "198.51.100.4", ["127.0.0.1"])).toBe("198.51.100.4");
    // The client forged the left entry; the proxy appended what it saw.
    expect(clientAddress("127.0.0.1", "10.1.2.3, 198.51.100.4", ["127.0.0.1"])).toBe("198.51.100.4");
    expect(clientAddress("10.0.0.2", "198.51.100.4, 10.0.0.7", ["10.0.0.0/8"])).toBe("198.51.100.4");
    expect(clientAddress("127.0.0.1", "", ["127.0.0.1"])).toBe("127.0.0.1");
    expect(clientAddress(null, "10.1.2.3", ["127.0.0.1"])).toBeNull();
  });

  it("matches IPv4 CIDR blocks and exact addresses only", () => {
    expect(ipMatches("10.200.3.4", "10.0.0.0/8")).toBe(true);
    expect(ipMatches("11.0.0.1", "10.0.0.0/8")).toBe(false);
    expect(ipMatches("192.168.1.77", "192.168.1.64/26")).toBe(true);
    expect(ipMatches("192.168.1.200", "192.168.1.64/26")).toBe(false);
    expect(ipMatches("1.2.3.4", "0.0.0.0/0")).toBe(true);
    expect(ipMatches("::1", "::1")).toBe(true);
    expect(ipMatches("::1", "10.0.0.0/8")).toBe(false);
    expect(ipMatches("10.0.0.1", "10.0.0.0/33")).toBe(false);
  });
});
