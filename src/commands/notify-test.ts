/**
 * `openclaw-otel notify test [--target NAME] [run options]`: sends one test message to each
 * configured target (or the one named) through the same formats and senders `run` uses, and
 * says per target what happened: ok, or what to fix (bad token 401, chat not found 400,
 * webhook gone 404, network). Exit 0 when every target took it, 1 when one failed, 2 when
 * nothing is configured or the arguments are wrong. Credentials never appear in the output.
 */
import { parseConfig, type TargetName } from "../config/config.ts";
import { secretsOf, TARGET_NAMES } from "../config/notify.ts";
import { Notifier } from "../notify/notifier.ts";
import { scrubber, senderOf } from "../notify/targets.ts";
import { UsageError } from "./usage-error.ts";

export const NOTIFY_HELP = `Usage: openclaw-otel notify test [--target NAME] [run options]

Sends one test message to every notification target configured (the same settings as run:
OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN + OPENCLAW_OTEL_TELEGRAM_CHAT_ID, OPENCLAW_OTEL_DISCORD_WEBHOOK_URL,
OPENCLAW_OTEL_SLACK_WEBHOOK_URL, OPENCLAW_OTEL_NTFY_URL, OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL, each
also as *_FILE), or only to --target ${TARGET_NAMES.join("|")}, and prints what each answered.
`;

const TIMEOUT_MS = 10_000;

export async function notifyTest(argv: string[], env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "test") throw new UsageError(`expected "notify test", got "notify ${sub ?? ""}"\n\n${NOTIFY_HELP}`);
  let only: TargetName | undefined;
  const i = rest.indexOf("--target");
  if (i !== -1) {
    const name = rest[i + 1];
    if (!TARGET_NAMES.includes(name as TargetName)) throw new UsageError(`--target must be one of ${TARGET_NAMES.join(", ")}, got "${name ?? ""}"`);
    only = name as TargetName;
    rest.splice(i, 2);
  }
  const cfg = parseConfig(rest, env);
  const targets = cfg.notify.targets.filter((t) => only === undefined || t.name === only);
  if (targets.length === 0) {
    throw new UsageError(only ? `target ${only} is not configured (see openclaw-otel help run)`
      : "no notification target is configured; set e.g. OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN and OPENCLAW_OTEL_TELEGRAM_CHAT_ID");
  }
  const scrub = scrubber(secretsOf(cfg.notify.targets));
  const note = new Notifier(cfg.notify, cfg.hostName).testNote();
  let failed = 0;
  // One at a time: the answers print in order, and no API sees a burst.
  for (const t of targets) {
    const r = await senderOf(t, scrub).send(note, TIMEOUT_MS);
    if (r.ok) out(`${t.name}: ok, test message accepted\n`);
    else {
      failed++;
      out(`${t.name}: FAILED: ${r.detail}${r.retry ? " (temporary: try again later)" : ""}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}
