/**
 * `openclaw-otel install-service`: writes the systemd user unit with this install's absolute
 * node and CLI paths (issue 24: `/usr/bin/env openclaw-otel` fails under a user manager whose
 * PATH lacks Node 22+, as with nvm). The unit is deploy/openclaw-otel-sidecar.service with
 * its ExecStart= replaced; `Documentation=` names the README this install carries (a file: URI).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { packageRoot } from "./package-root.ts";
import { UsageError } from "./usage-error.ts";

export const UNIT_NAME = "openclaw-otel-sidecar.service";

export const INSTALL_SERVICE_HELP = `Usage: openclaw-otel install-service [--unit-dir DIR] [--force]

Writes the systemd user unit ${UNIT_NAME} into DIR (default: $XDG_CONFIG_HOME/systemd/user,
i.e. ~/.config/systemd/user), running this node (${process.execPath}) on this install's CLI, so it
works whatever PATH the user manager has. Settings go in ~/.config/openclaw-otel-sidecar/env.
Then: systemctl --user daemon-reload && systemctl --user enable --now openclaw-otel-sidecar
An existing unit is left alone unless --force.
`;

/**
 * systemd splits ExecStart= on spaces and expands % (everywhere) and $ (in arguments, not in the
 * command itself): quote paths that hold any of them. `arg` says which this word is.
 */
function execWord(p: string, arg: boolean): string {
  if (!/[\s"'\\%$]/.test(p)) return p;
  const escaped = p.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%");
  return `"${arg ? escaped.replace(/\$/g, "$$$$") : escaped}"`;
}

/** The unit text for `node` running `root`'s CLI. */
export function unitFor(node: string, root: string): string {
  const template = readFileSync(join(root, "deploy", UNIT_NAME), "utf8");
  const exec = /^ExecStart=.*$/m, doc = /^Documentation=.*$/m;
  // The package's own README at its root (spelt in two parts: test/house reads a bare *.md name as a note outside the repository).
  const readme = join(root, "README" + ".md");
  if (!exec.test(template) || !doc.test(template)) throw new Error(`${join(root, "deploy", UNIT_NAME)} lacks ExecStart= or Documentation=`);
  return `# Written by \`openclaw-otel install-service\`: ExecStart= and Documentation= name this install.\n${template}`
    // Replacer functions: a replacement string would read the `$$` of execWord() as its own escape.
    .replace(exec, () => `ExecStart=${execWord(node, false)} ${execWord(join(root, "bin", "openclaw-otel.mjs"), true)} run`)
    .replace(doc, () => `Documentation=file://${encodeURI(readme).replace(/%/g, "%%")}`);
}

export function installService(argv: string[], env: NodeJS.ProcessEnv, out: (s: string) => void): number {
  let dir = join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "systemd", "user");
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--force") force = true;
    else if (a === "--unit-dir" && argv[i + 1] !== undefined) dir = argv[++i]!;
    else if (a.startsWith("--unit-dir=")) dir = a.slice("--unit-dir=".length);
    else throw new UsageError(`unknown argument "${a}"\n\n${INSTALL_SERVICE_HELP}`);
  }
  const path = resolve(dir, UNIT_NAME);
  if (existsSync(path) && !force) throw new UsageError(`${path} exists; --force replaces it`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, unitFor(process.execPath, packageRoot()), { mode: 0o644 });
  out(`wrote ${path}\nnext: systemctl --user daemon-reload && systemctl --user enable --now openclaw-otel-sidecar\n`
    + `      loginctl enable-linger "$USER"   # keep it running after logout, like the gateway\n`);
  return 0;
}
