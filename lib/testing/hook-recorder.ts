import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedHook {
  name: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * A real HTTP server on 127.0.0.1 that plays the business server ZLM posts
 * hooks to. Answers `{"code":0,"msg":"success"}` unless `answer` says otherwise.
 */
export async function startHookRecorder(
  answer: (hook: RecordedHook) => { status?: number; body: string; delayMs?: number } = () => ({ body: '{"code":0,"msg":"success"}' }),
) {
  const hooks: RecordedHook[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://recorder.invalid");
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // recorded as an empty body; the test decides whether that is wrong
      }
      const hook: RecordedHook = { name: url.pathname.split("/").pop() ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, raw, body, at: Date.now() };
      hooks.push(hook);
      for (const w of waiters) w();
      const a = answer(hook);
      const reply = () => {
        res.writeHead(a.status ?? 200, { "Content-Type": "application/json" });
        res.end(a.body);
      };
      if (a.delayMs) setTimeout(reply, a.delayMs);
      else reply();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;

  /** Resolves with the first hook matching `pred` (already received or arriving within `timeoutMs`). */
  function waitFor(pred: (h: RecordedHook) => boolean, timeoutMs = 10_000): Promise<RecordedHook> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = hooks.find(pred);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching hook within ${timeoutMs} ms; got: ${hooks.map((h) => h.name).join(", ")}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  return {
    url: `http://127.0.0.1:${port}/index/hook`,
    hooks,
    waitFor,
    named: (name: string) => hooks.filter((h) => h.name === name),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type HookRecorder = Awaited<ReturnType<typeof startHookRecorder>>;
