/**
 * Pins the digest beside the tag of every image docker-compose.yml pulls (`name:tag@sha256:…`),
 * asking the registry for the tag's manifest (index) digest over the Distribution API, the
 * same answer `docker buildx imagetools inspect name:tag` prints as Digest. Images built here
 * (`…:local`) are left alone. No registry is reachable from the machines the tests run on, so
 * the digests are filled where one is: `node scripts/pin-image-digests.ts --write`, then commit.
 *
 *   node scripts/pin-image-digests.ts --check         exit 1 and list the images without a digest
 *   node scripts/pin-image-digests.ts --write         fill or refresh every digest in place
 *   options: --file PATH (default docker-compose.yml), --registry URL (every image from one
 *   registry, e.g. a mirror or the test's fake)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const IMAGE_LINE = /^(\s+image:\s*)"?([^\s"#]+)"?(.*)$/gm;
const ACCEPT = [
  "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export interface ImageRef { ref: string; name: string; tag: string; digest: string | undefined }

export function parseRef(ref: string): ImageRef {
  const m = /^([a-z0-9][a-z0-9._/-]*):([\w][\w.-]*)(?:@(sha256:[0-9a-f]{64}))?$/.exec(ref);
  if (!m) throw new Error(`not a name:tag[@sha256:…] image reference: ${ref}`);
  return { ref, name: m[1]!, tag: m[2]!, digest: m[3] };
}

/** The images a compose file pulls (not the ones it builds, tagged `:local`). */
export function pulledImages(compose: string): ImageRef[] {
  return [...compose.matchAll(IMAGE_LINE)].map((m) => m[2]!).filter((r) => !r.endsWith(":local")).map(parseRef);
}

export const missingDigests = (compose: string): string[] => pulledImages(compose).filter((i) => i.digest === undefined).map((i) => i.ref);

/** Docker Hub's names: `prom/prometheus` as is, `busybox` under library/. */
function registryPath(name: string, registry: string | undefined): { base: string; repo: string } {
  const first = name.split("/")[0]!;
  if (registry) return { base: registry.replace(/\/$/, ""), repo: name.includes("/") ? name : `library/${name}` }; // a Hub mirror
  if (name.includes("/") && (first.includes(".") || first.includes(":"))) return { base: `https://${first}`, repo: name.slice(first.length + 1) };
  return { base: "https://registry-1.docker.io", repo: name.includes("/") ? name : `library/${name}` };
}

/** A Bearer challenge answered as the registry asks (anonymous pull token). */
async function token(challenge: string): Promise<string | undefined> {
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  if (!/^Bearer /i.test(challenge) || !params.realm) return undefined;
  const url = new URL(params.realm);
  for (const k of ["service", "scope"]) if (params[k]) url.searchParams.set(k, params[k]);
  const r = await fetch(url);
  if (!r.ok) throw new Error(`token from ${url.origin}: HTTP ${r.status}`);
  const body = (await r.json()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}

export async function resolveDigest(name: string, tag: string, registry?: string): Promise<string> {
  const { base, repo } = registryPath(name, registry);
  const url = `${base}/v2/${repo}/manifests/${tag}`;
  let r = await fetch(url, { method: "HEAD", headers: { accept: ACCEPT } });
  const challenge = r.headers.get("www-authenticate");
  if (r.status === 401 && challenge) {
    const t = await token(challenge);
    r = await fetch(url, { method: "HEAD", headers: { accept: ACCEPT, ...(t ? { authorization: `Bearer ${t}` } : {}) } });
  }
  const digest = r.headers.get("docker-content-digest");
  if (!r.ok || !digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`${name}:${tag}: HTTP ${r.status}, digest ${digest ?? "none"} from ${url}`);
  return digest;
}

/** The compose text with `@digest` beside every pulled image's tag (comments and layout kept). */
export async function withDigests(compose: string, resolve: (name: string, tag: string) => Promise<string>): Promise<string> {
  const digests = new Map<string, string>();
  for (const i of pulledImages(compose)) digests.set(i.ref, `${i.name}:${i.tag}@${await resolve(i.name, i.tag)}`);
  return compose.replace(IMAGE_LINE, (line, head: string, ref: string, tail: string) => (digests.has(ref) ? `${head}${digests.get(ref)}${tail}` : line));
}

async function main(argv: string[]): Promise<number> {
  const at = (flag: string) => { const i = argv.indexOf(flag); return i === -1 ? undefined : argv[i + 1]; };
  const file = at("--file") ?? join(import.meta.dirname, "..", "docker-compose.yml");
  const registry = at("--registry");
  const text = readFileSync(file, "utf8");
  if (argv.includes("--write")) {
    writeFileSync(file, await withDigests(text, (n, t) => resolveDigest(n, t, registry)));
    for (const i of pulledImages(readFileSync(file, "utf8"))) process.stdout.write(`${i.ref}\n`);
    return 0;
  }
  if (argv.includes("--check")) {
    const missing = missingDigests(text);
    for (const m of missing) process.stderr.write(`no digest beside the tag: ${m} (node scripts/pin-image-digests.ts --write)\n`);
    return missing.length === 0 ? 0 : 1;
  }
  process.stderr.write("usage: node scripts/pin-image-digests.ts --check|--write [--file PATH] [--registry URL]\n");
  return 2;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
