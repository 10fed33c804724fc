import http from "node:http";

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown> | null;
}

/** One ZLM API call over a fresh connection, returning the raw answer (tests compare bytes). */
export function zlmCall(
  base: string,
  endpoint: string,
  query: Record<string, string | number> = {},
  init: { method?: string; body?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const url = new URL(`${base}/index/api/${endpoint}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.contentType) headers["Content-Type"] = init.contentType;
    const req = http.request(url, { method: init.method ?? "GET", headers, agent: false }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => {
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}
