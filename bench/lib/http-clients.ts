/**
 * Issue 20's load: N clients looping on /metrics (gzip, as Prometheus asks), /status.json and
 * / against a sidecar, each with one request in flight at a time on a keep-alive connection,
 * as a scraper, a status page and a curious user in a shell loop do, only without pauses.
 */
import { Agent, request } from "node:http";

const PATHS: [string, Record<string, string>][] = [
  ["/metrics", { "accept-encoding": "gzip" }],
  ["/status.json", {}],
  ["/", {}],
];

function get(agent: Agent, base: URL, path: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ agent, host: base.hostname, port: base.port, path, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve());
      res.on("error", () => resolve());
    });
    // Before the server listens, or while it sheds connections: try again after a pause.
    req.on("error", () => setTimeout(resolve, 50));
    req.end();
  });
}

export interface Clients { stop(): Promise<number> }

/** Starts `n` looping clients; stop() resolves with the number of requests they completed. */
export function loopClients(baseUrl: string, n: number): Clients {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: n });
  let running = true;
  let done = 0;
  const loops = Array.from({ length: n }, async (_, i) => {
    for (let k = i; running; k++) {
      const [path, headers] = PATHS[k % PATHS.length]!;
      await get(agent, base, path, headers);
      done++;
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return done;
    },
  };
}
