/**
 * The baseline the hook benchmark compares against: a bare node:http server
 * that only parses the JSON body and appends it to a file, then answers
 * {"code":0}. Run as its own process by bench/hook-ingest.ts.
 */
import fs from "node:fs";
import http from "node:http";

const file = process.argv[2];
const out = fs.openSync(file, "a");
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    fs.writeSync(out, JSON.stringify(body) + "\n");
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"code":0}');
  });
});
server.listen(0, "127.0.0.1", () => {
  const addr = server.address();
  process.stdout.write(`PORT ${typeof addr === "object" && addr ? addr.port : 0}\n`);
});
