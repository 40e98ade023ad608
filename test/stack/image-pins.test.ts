/**
 * Image digests beside tags (issue 24). No registry is reachable here, so the filler
 * (scripts/pin-image-digests.ts) runs against a fake registry on 127.0.0.1 that answers like
 * Docker Hub: 401 with a Bearer challenge, a token endpoint, then the manifest's digest in
 * Docker-Content-Digest. The expected digests are the sha256 of the manifests the fake holds.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingDigests, parseRef, pulledImages } from "../../scripts/pin-image-digests.ts";
import { at } from "./stack-helpers.ts";

const SCRIPT = at("scripts", "pin-image-digests.ts");
const compose = readFileSync(at("docker-compose.yml"), "utf8");
const sha = (s: string) => `sha256:${createHash("sha256").update(s).digest("hex")}`;
/** What the fake registry holds per repository:tag (Docker Hub's library/ for one-part names). */
const manifestOf = (repo: string, tag: string) => JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", note: `${repo}:${tag}` });
const hubRepo = (name: string) => (name.includes("/") ? name : `library/${name}`);

describe("image digests beside tags", () => {
  let server: Server;
  let url = "";
  const asked: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://x");
      if (u.pathname === "/token") { res.end(JSON.stringify({ token: `t:${u.searchParams.get("scope")}` })); return; }
      const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(u.pathname);
      const scope = m ? `repository:${m[1]}:pull` : "";
      if (req.headers.authorization !== `Bearer t:${scope}`) {
        res.writeHead(401, { "www-authenticate": `Bearer realm="${url}/token",service="fake",scope="${scope}"` }).end();
        return;
      }
      asked.push(`${m![1]}:${m![2]}`);
      res.writeHead(200, { "docker-content-digest": sha(manifestOf(m![1]!, m![2]!)), "content-type": "application/vnd.oci.image.index.v1+json" }).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("finds every image compose pulls, each with a pinned release tag", () => {
    const images = pulledImages(compose);
    expect(images.map((i) => i.name).sort()).toEqual(["busybox", "grafana/grafana", "jaegertracing/jaeger", "otel/opentelemetry-collector-contrib", "prom/alertmanager", "prom/prometheus"]);
    for (const i of images) expect(i.tag, i.name).toMatch(/^v?\d+\.\d+\.\d+(-[a-z]+)?$/);
    expect(() => parseRef("prom/prometheus@sha256:" + "0".repeat(64))).toThrow(); // a digest never replaces the tag
  });

  it("fills a digest beside every tag from the registry, and the check passes only then", async () => {
    const dir = mkdtempSync(join(tmpdir(), "image-pins-"));
    const file = join(dir, "docker-compose.yml");
    copyFileSync(at("docker-compose.yml"), file);
    const check = () => spawnSync(process.execPath, [SCRIPT, "--check", "--file", file], { encoding: "utf8", timeout: 30_000 });
    // Today's compose without digests fails the check, naming each image.
    const before = check();
    expect(before.status).toBe(missingDigests(compose).length === 0 ? 0 : 1);
    for (const ref of missingDigests(compose)) expect(before.stderr).toContain(ref);
    // Asynchronously: the fake registry answers from this process.
    await promisify(execFile)(process.execPath, [SCRIPT, "--write", "--file", file, "--registry", url], { encoding: "utf8", timeout: 30_000 });
    const pinned = readFileSync(file, "utf8");
    for (const i of pulledImages(compose)) {
      expect(pinned, i.name).toContain(`image: ${i.name}:${i.tag}@${sha(manifestOf(hubRepo(i.name), i.tag))}`);
    }
    expect(asked.sort()).toEqual(pulledImages(compose).map((i) => `${hubRepo(i.name)}:${i.tag}`).sort());
    expect(check().status).toBe(0);
    // Only the image lines changed, and docker-compose still takes the file.
    expect(pinned.replace(/@sha256:[0-9a-f]{64}/g, "")).toBe(compose.replace(/@sha256:[0-9a-f]{64}/g, ""));
    const r = spawnSync("docker-compose", ["-f", file, "config", "-q"], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: "/tmp" } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
