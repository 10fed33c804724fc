import type { Rng } from "./rng";

/**
 * wvp-GB28181-pro's SSRC pool (SSRCFactory.java, master 768d740): a play SSRC
 * is "0" + five digits of the SIP domain + a 4-digit index taken from a
 * bitmap, starting at a random index. Every 5 s the bitmap is rebuilt from
 * getMediaList, which lists only streams with media: the SSRCs of servers
 * still waiting for their camera are free again and can be handed out twice.
 */
export class SsrcPool {
  private readonly used: boolean[];

  constructor(
    private readonly rng: Rng,
    /** wvp: 10000 indexes. */
    readonly size = 10_000,
    /** sipConfig.getDomain().substring(3, 8): "20000" for the default domain 3402000000. */
    private readonly domainPart = "20000",
  ) {
    this.used = new Array<boolean>(size).fill(false);
  }

  /** A play SSRC, or null when every index is taken ("SSRC已用尽"). */
  take(): number | null {
    const start = this.rng.int(0, this.size - 1);
    for (let i = 0; i < this.size; i++) {
      const index = (start + i) % this.size;
      if (!this.used[index]) {
        this.used[index] = true;
        return Number(`0${this.domainPart}${String(index).padStart(4, "0")}`);
      }
    }
    return null;
  }

  /** The rebuild: only SSRCs of streams that have media stay taken. */
  rebuild(liveSsrcs: Iterable<number>): void {
    this.used.fill(false);
    for (const ssrc of liveSsrcs) this.used[ssrc % 10_000 % this.size] = true;
  }

  get taken(): number {
    return this.used.filter(Boolean).length;
  }
}
