import http from "node:http";

/** A parsed SSE frame as a browser's EventSource would deliver it. */
export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Splits SSE text into frames as EventSource does (`id:`, `event:`, `data:`
 * lines, a blank line ends a frame, comments ignored); feed it chunks as they
 * come. `lastEventId` carries over frames without an id, as in a browser.
 */
export function sseParser(onFrame: (frame: SseFrame, lastEventId: string) => void) {
  let buffer = "";
  let lastEventId = "";
  return (chunk: string) => {
    buffer += chunk;
    let idx: number;
    while ((idx = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const frame: SseFrame = { id: null, event: "message", data: "" };
      let hasData = false;
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const [field, ...rest] = line.split(":");
        const value = rest.join(":").replace(/^ /, "");
        if (field === "id") (frame.id = value), (lastEventId = value);
        else if (field === "event") frame.event = value;
        else if (field === "data") {
          frame.data += (hasData ? "\n" : "") + value;
          hasData = true;
        }
      }
      if (hasData) onFrame(frame, lastEventId);
    }
  };
}

/**
 * A real SSE client over node:http (EventSource semantics: `id:`, `event:`,
 * `data:` lines, frames split on a blank line, comments ignored).
 */
export function openSse(url: string, lastEventId?: number | null, onFrame?: (frame: SseFrame, lastEventId: string) => void, headers: Record<string, string> = {}) {
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  let req: http.ClientRequest | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    req = http.get(url, { headers: { ...headers, accept: "text/event-stream", ...(lastEventId != null ? { "last-event-id": String(lastEventId) } : {}) } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`SSE answered ${res.statusCode}`));
      res.setEncoding("utf8");
      const feed = sseParser((frame, id) => {
        frames.push(frame);
        onFrame?.(frame, id);
      });
      res.on("data", (chunk: string) => {
        feed(chunk);
        for (const w of waiters) w();
      });
      res.on("end", () => (ended = true));
      // The server died mid-stream (the crash tests kill it): the stream has ended, nothing more.
      res.on("error", () => (ended = true));
      resolve();
    });
    req.on("error", (e) => (ended ? undefined : reject(e)));
  });
  return {
    frames,
    ready,
    get ended() {
      return ended;
    },
    async waitFor(pred: (frames: SseFrame[]) => boolean, timeoutMs = 10_000): Promise<void> {
      if (pred(frames)) return;
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SSE condition not met in ${timeoutMs} ms; got ${frames.length} frames`));
        }, timeoutMs);
        const check = () => {
          if (pred(frames)) {
            clearTimeout(t);
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
      });
    },
    close(): void {
      req?.destroy();
    },
  };
}
