import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { Emulator } from "./emulator";

const knobsPatch = z
  .object({
    assertionRate: z.number().min(0).max(1),
    openLatencyMs: z.number().min(0),
    closeLatencyMs: z.number().min(0),
    publishDelayMs: z.number().min(0),
    registerDelayMs: z.number().min(0),
    hlsDelayMs: z.number().min(0),
    teardownOrder: z.enum(["current", "legacy"]),
    legacyTeardownGapMs: z.number().min(0),
    teardownGapMs: z.number().min(0),
    releaseDelayMs: z.number().min(0),
    duplicateMessage: z.enum(["current", "legacy"]),
  })
  .partial()
  .strict();

const streamKnobs = z.object({ dropPackets: z.boolean(), mediaDelayMs: z.number().min(0), undecodable: z.boolean(), loseTimeoutHook: z.boolean() }).partial().strict();

/**
 * A separate listener (never on ZLM's port, so the API stays identical to
 * ZLM) for demos and out-of-process tests: POST /knobs, POST
 * /streams/<stream_id>/knobs, POST /restart, GET /state.
 */
export async function startControlServer(emu: Emulator, port: number, host = "127.0.0.1") {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString("utf8")));
    req.on("end", () => {
      let body: unknown = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        return send(400, { error: "body is not JSON" });
      }
      const url = new URL(req.url ?? "/", "http://control.invalid");
      const streamMatch = /^\/streams\/([^/]+)\/knobs$/.exec(url.pathname);
      if (req.method === "GET" && url.pathname === "/state") {
        return send(200, { knobs: emu.knobs, servers: [...emu.servers.keys()], ghosts: emu.ghosts.length, media: emu.media.size });
      }
      if (req.method === "POST" && url.pathname === "/knobs") {
        const parsed = knobsPatch.safeParse(body);
        if (!parsed.success) return send(422, { error: parsed.error.issues });
        emu.setKnobs(parsed.data);
        return send(200, { knobs: emu.knobs });
      }
      if (req.method === "POST" && streamMatch) {
        const parsed = streamKnobs.safeParse(body);
        if (!parsed.success) return send(422, { error: parsed.error.issues });
        emu.setStreamKnobs(decodeURIComponent(streamMatch[1]), parsed.data);
        return send(200, { ok: true });
      }
      if (req.method === "POST" && url.pathname === "/restart") {
        void emu.restart();
        return send(202, { ok: true });
      }
      send(404, { error: "not found" });
    });
  });
  await new Promise<void>((r) => server.listen(port, host, () => r()));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
