import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A notification receiver on 127.0.0.1 that answers as each chat robot does
 * (WeCom/DingTalk `{"errcode":0}`, Feishu `{"code":0}`, Slack `ok`, a generic
 * webhook 204) and records what came; `/fail` answers 500 every time.
 */
export interface ReceivedNotification {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
}

export interface NotifyReceiver {
  url: string;
  received: ReceivedNotification[];
  on(path: string): ReceivedNotification[];
  close(): Promise<void>;
}

export async function startNotifyReceiver(): Promise<NotifyReceiver> {
  const received: ReceivedNotification[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://local");
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        body = { unparsed: Buffer.concat(chunks).toString("utf8") };
      }
      received.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body, at: Date.now() });
      const json = (status: number, b: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(b));
      };
      if (url.pathname === "/fail") return json(500, { error: "receiver down" });
      if (url.pathname === "/wecom" || url.pathname === "/dingtalk") return json(200, { errcode: 0, errmsg: "ok" });
      if (url.pathname === "/feishu") return json(200, { code: 0, msg: "success", data: {} });
      if (url.pathname === "/slack") {
        res.writeHead(200, { "content-type": "text/html" });
        return res.end("ok");
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    on: (path) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
