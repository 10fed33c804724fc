import type { createRng } from "./rng";

type Rng = ReturnType<typeof createRng>;

/**
 * ZLM's pool for `port=0`: even/odd pairs from rtp_proxy.port_range, shuffled,
 * handed out from the front and returned to the back when both sockets close.
 */
export class PortPool {
  private readonly free: number[] = [];

  constructor(range: [number, number], rng: Rng) {
    const [lo, hi] = range;
    for (let p = lo % 2 === 0 ? lo : lo + 1; p + 1 <= hi; p += 2) this.free.push(p);
    for (let i = this.free.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [this.free[i], this.free[j]] = [this.free[j], this.free[i]];
    }
  }

  get available(): number {
    return this.free.length;
  }

  take(): number | null {
    return this.free.shift() ?? null;
  }

  giveBack(port: number): void {
    if (!this.free.includes(port)) this.free.push(port);
  }
}
