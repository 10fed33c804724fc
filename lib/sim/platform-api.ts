import { z } from "zod";

/**
 * What a simulated platform needs to talk to a ZLM (the emulator, a real
 * build, or either through Portscope's tap) and to stop cleanly: API calls
 * parsed with zod, and waits that all end at once on stop().
 */
export const ZlmAnswer = z.object({
  code: z.number(),
  msg: z.string().optional(),
  port: z.number().optional(),
  hit: z.number().optional(),
  exist: z.boolean().optional(),
  local_port: z.number().optional(),
  data: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type ZlmAnswer = z.infer<typeof ZlmAnswer>;

/** Thrown out of every wait and API call once stop() ran, so a play unwinds at its next step. */
export class PlatformStopped extends Error {}

export interface PlatformApiOptions {
  zlmUrl: string;
  secret: string;
  /** "form": POST with a form body, secret included, as wvp's ZLMRESTfulUtils.sendPost does; "query": GET. */
  style: "form" | "query";
  /** How long a call may take (wvp: OkHttp read timeout 10 s). */
  timeoutMs: number;
  log(line: string): void;
}

export const portOf = (a: ZlmAnswer | null): number | null => (a && a.code === 0 && typeof a.port === "number" ? a.port : null);
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class PlatformRun {
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  constructor(private readonly opts: PlatformApiOptions) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.waits.clear();
  }

  checkRunning(): void {
    if (this.stopped) throw new PlatformStopped("platform stopped");
  }

  async wait(ms: number): Promise<void> {
    this.checkRunning();
    await new Promise<void>((resolve) => {
      const w = { resolve, timer: setTimeout(() => (this.waits.delete(w), resolve()), Math.max(0, ms)) };
      this.waits.add(w);
    });
    this.checkRunning();
  }

  /** One API call: answers with code != 0 are logged and returned; no answer at all gives `{ answer: null, error }`, a page that is not ZLM JSON `{ answer: null, error: null }`. */
  async call(name: string, params: Record<string, string | number>): Promise<{ answer: ZlmAnswer | null; error: string | null }> {
    this.checkRunning();
    const url = new URL(`${this.opts.zlmUrl.replace(/\/$/, "")}/index/api/${name}`);
    const values = new URLSearchParams({ secret: this.opts.secret });
    for (const [k, v] of Object.entries(params)) values.set(k, String(v));
    const what = `${name} ${params.stream_id ?? params.stream ?? ""}`.trim();
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.timeoutMs)]);
    let text: string;
    let status: number;
    try {
      const res =
        this.opts.style === "form"
          ? await fetch(url, { method: "POST", body: values, signal })
          : await fetch(`${url}?${values}`, { signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      this.checkRunning();
      this.opts.log(`${what} -> no answer: ${messageOf(err)}`);
      return { answer: null, error: messageOf(err) };
    }
    this.checkRunning();
    const answer = parseAnswer(text);
    if (!answer) {
      this.opts.log(`${what} -> HTTP ${status}, not a ZLM answer: ${text.slice(0, 80)}`);
      return { answer: null, error: null };
    }
    if (answer.code !== 0) this.opts.log(`${what} -> ${answer.code} ${answer.msg ?? ""}`.trim());
    return { answer, error: null };
  }

  async api(name: string, params: Record<string, string | number>): Promise<ZlmAnswer | null> {
    return (await this.call(name, params)).answer;
  }
}

function parseAnswer(text: string): ZlmAnswer | null {
  try {
    const parsed = ZlmAnswer.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // an HTML 404 page for an unknown endpoint, for instance
  }
}
