/**
 * The client's address, which a client cannot choose: the socket's peer, and
 * X-Forwarded-For only when that peer is a configured trusted proxy. Walks the
 * header from the right (the hop nearest to us) past every trusted proxy; the
 * first untrusted hop is the client.
 */
export function normaliseIp(ip: string): string {
  const v = ip.trim().replace(/^\[|\]$/g, "");
  return v.startsWith("::ffff:") && v.includes(".") ? v.slice(7) : v;
}

/** An allow-list entry: an address, or an IPv4 CIDR block ("10.0.0.0/8"). */
export function ipMatches(ip: string, entry: string): boolean {
  const a = normaliseIp(ip);
  const slash = entry.indexOf("/");
  if (slash < 0) return a === normaliseIp(entry);
  const bits = Number(entry.slice(slash + 1));
  const base = ipv4ToInt(entry.slice(0, slash));
  const addr = ipv4ToInt(a);
  if (base === null || addr === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((addr & mask) >>> 0) === ((base & mask) >>> 0);
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}

export function inList(ip: string | null, list: readonly string[]): boolean {
  return !!ip && list.some((e) => ipMatches(ip, e));
}

export function clientAddress(peer: string | null, forwardedFor: string | null, trustedProxies: readonly string[]): string | null {
  if (!peer) return null;
  let addr = normaliseIp(peer);
  if (!forwardedFor || !inList(addr, trustedProxies)) return addr;
  const hops = forwardedFor.split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    addr = normaliseIp(hops[i]);
    if (!inList(addr, trustedProxies)) return addr;
  }
  return addr;
}
