/**
 * idle_sockets_low_ulimit (issue 20, item 8): the real `run` under `ulimit -n 256`, with 250
 * idle connections held open against its HTTP port and topped up as the server sheds them.
 * Before the connection cap every socket took a descriptor: the tailer hit EMFILE and stopped
 * following, and the idle sockets were held until the client gave up (node's header timeout
 * does not cover a socket that never sent a byte). Now the server holds at most a quarter of
 * the limit, closes idle sockets after 5 s, and the tailer follows new files and lines
 * meanwhile (the checkpoint, not HTTP, says so). The same sidecar refuses a rebinding Host and
 * answers its --allowed-hosts name.
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkpointLinesRead, delay, lowUlimit, startCli, uniqueLine, waitFor } from "./helpers.ts";

const LIMIT = 256;
const SOCKETS = 250;

function status(url: string, host: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: "/status.json", setHost: false, headers: { host } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on("error", reject);
    req.end();
  });
}

describe("idle_sockets_low_ulimit", () => {
  it("250 idle sockets under ulimit -n 256: the tailer keeps following, idle sockets are shed", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-press-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-press-state-"));
    const first = "openclaw-2026-11-01.log";
    writeFileSync(join(logs, first), `${uniqueLine(first, 0)}\n`);
    let written = 1;
    const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "100", "--checkpoint-interval", "100", "--allowed-hosts", "sidecar"];
    const child = startCli(args, {}, lowUlimit(LIMIT));
    const sockets = new Set<Socket>();
    const lived: number[] = [];
    let pressing = true;
    let maxFds = 0;
    try {
      const url = await child.url;
      await child.ready;
      expect(await waitFor(() => checkpointLinesRead(state) === written, 30_000)).toBe(true);
      const port = Number(new URL(url).port);
      // Idle connections that never send a byte, topped up to SOCKETS every 200 ms.
      const press = (async () => {
        while (pressing) {
          while (sockets.size < SOCKETS) {
            const s = connect(port, "127.0.0.1");
            const opened = Date.now();
            sockets.add(s);
            s.on("error", () => {});
            s.on("close", () => { sockets.delete(s); lived.push(Date.now() - opened); });
          }
          try { maxFds = Math.max(maxFds, readdirSync(`/proc/${child.proc.pid}/fd`).length); } catch { /* exited */ }
          await delay(200);
        }
      })();
      await delay(1000);
      // New files (each needs a descriptor) and lines in the old one, while the sockets press.
      for (let k = 1; k <= 10; k++) {
        const name = `openclaw-p${k}-2026-11-01.log`;
        writeFileSync(join(logs, name), `${uniqueLine(name, 0)}\n${uniqueLine(name, 1)}\n`);
        appendFileSync(join(logs, first), `${uniqueLine(first, k)}\n`);
        written += 3;
        await delay(200);
      }
      expect(await waitFor(() => checkpointLinesRead(state) === written, 30_000)).toBe(true);
      // Held long enough for the idle timeout (5 s) to shed the accepted idle sockets.
      await delay(7000);
      pressing = false;
      await press;
      const accepted = lived.filter((ms) => ms >= 3000);
      expect(accepted.length).toBeGreaterThan(0); // shed by the idle timeout...
      expect(Math.max(...lived)).toBeLessThan(12_000); // ...not held until the client gives up
      expect(maxFds).toBeLessThan(LIMIT - 40);
      for (const s of sockets) s.destroy();
      // Once the pressure stops, HTTP answers again, and only its own names.
      expect(await waitFor(async () => (await fetch(`${url}/metrics`).catch(() => undefined))?.status === 200, 10_000)).toBe(true);
      expect(await status(url, `evil.example:${port}`)).toBe(403);
      expect(await status(url, `sidecar:${port}`)).toBe(200);
      expect(child.stderr()).not.toMatch(/EMFILE|ENFILE|checkpoint write failed/);
    } finally {
      pressing = false;
      for (const s of sockets) s.destroy();
      child.proc.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    }
    expect(checkpointLinesRead(state)).toBe(written);
    rmSync(logs, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }, 120_000);
});
