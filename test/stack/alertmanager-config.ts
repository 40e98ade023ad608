/**
 * alertmanager/alertmanager.yml as the tests run it: chosen commented receiver blocks switched
 * on exactly as a user would (uncommenting the config lines between `# [name]` and
 * `# [/name]`), secrets written to the files the blocks name, group waits shortened.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { at } from "./stack-helpers.ts";

export type ReceiverBlock = "telegram" | "discord" | "slack" | "webhook" | "deadmansswitch";

/** The shipped text with the config lines of `blocks` uncommented. */
export function enableBlocks(text: string, blocks: readonly ReceiverBlock[]): string {
  let open: string | undefined;
  let inConfig = false;
  return text.split("\n").map((line) => {
    const marker = /^\s*# \[(\/?)([a-z]+)\]/.exec(line);
    if (marker !== null) {
      open = marker[1] === "/" ? undefined : marker[2];
      inConfig = false;
      return line;
    }
    if (open === undefined || !(blocks as readonly string[]).includes(open)) return line;
    // Prose comes first; the config starts at the `<kind>_configs:` line.
    if (/^\s*# \w+_configs:/.test(line)) inConfig = true;
    return inConfig ? line.replace(/^(\s*)# /, "$1") : line;
  }).join("\n");
}

export interface TestAlertmanagerConfig {
  blocks: readonly ReceiverBlock[];
  /** Content of each secret file, by file name under secrets/. */
  secrets: Record<string, string>;
  /** Extra fields merged into each enabled integration, by config key (e.g. telegram api_url). */
  extra?: Partial<Record<string, Record<string, unknown>>>;
  /** Keep the shipped group waits and intervals (the time-to-tell bench measures them). */
  shippedTimings?: boolean;
}

/** Writes the config (and its secret files) into dir; returns the config path. */
export function writeAlertmanagerConfig(dir: string, opts: TestAlertmanagerConfig): string {
  const secretsDir = join(dir, "secrets");
  mkdirSync(secretsDir, { recursive: true });
  for (const [name, value] of Object.entries(opts.secrets)) writeFileSync(join(secretsDir, name), value);
  const text = enableBlocks(readFileSync(at("alertmanager", "alertmanager.yml"), "utf8"), opts.blocks)
    .replaceAll("/etc/alertmanager/secrets/", `${secretsDir}/`);
  const doc = parseYaml(text) as {
    route: Record<string, unknown> & { routes?: Array<Record<string, unknown>> };
    receivers: Array<Record<string, unknown>>;
  };
  for (const r of opts.shippedTimings ? [] : [doc.route, ...(doc.route.routes ?? [])]) {
    if ("group_wait" in r || r === doc.route) r.group_wait = "1s";
    if ("group_interval" in r || r === doc.route) r.group_interval = "1s";
  }
  for (const rcv of doc.receivers) {
    for (const [key, extra] of Object.entries(opts.extra ?? {})) {
      for (const cfg of (rcv[key] as Array<Record<string, unknown>> | undefined) ?? []) Object.assign(cfg, extra);
    }
  }
  const path = join(dir, "alertmanager.yml");
  writeFileSync(path, toYaml(doc));
  return path;
}
