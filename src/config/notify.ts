/**
 * The notification targets as `run` and `notify test` use them, from the settings
 * (notify-settings.ts): each credential from its setting or its `*_FILE`, never both. What
 * goes wrong is said by setting name only: a token or webhook URL never appears in a message.
 */
import { readFileSync } from "node:fs";
import type { NotifySettings, NotifySeverity } from "./notify-settings.ts";
import { url as checkUrl, type Checked } from "./values.ts";

export type TargetName = "telegram" | "discord" | "slack" | "ntfy" | "webhook";
export const TARGET_NAMES: readonly TargetName[] = ["telegram", "discord", "slack", "ntfy", "webhook"];

export type TargetConfig =
  | { name: "telegram"; apiUrl: string; token: string; chatId: string }
  | { name: "discord" | "slack" | "ntfy" | "webhook"; url: string };

/** Daily budgets (src/notify/budget.ts): tokens and/or US dollars, and the percentages told. */
export interface BudgetConfig {
  tokens?: number;
  usd?: number;
  /** Percentages, ascending (e.g. 50, 80, 95, 100). */
  steps: number[];
}

export interface NotifyConfig {
  minSeverity: NotifySeverity;
  groupWaitMs: number;
  repeatIntervalMs: number;
  pageUrl: string | undefined;
  /** Minutes of the local day [from, to) when only critical messages go; to < from wraps midnight. */
  quietHours?: { from: number; to: number };
  /** Daily budgets told as they are crossed (budget.ts). */
  budget?: BudgetConfig;
  /** Local hour of the daily digest (digest.ts). */
  digestHour?: number;
  targets: TargetConfig[];
}

/** A setting's value, or its `_FILE`'s content (trimmed), or undefined; messages name the variables only. */
function secretOf(value: string | undefined, file: string | undefined, env: string, problems: string[]): string | undefined {
  if (value !== undefined && file !== undefined) {
    problems.push(`${env} and ${env}_FILE are both set; keep one`);
    return undefined;
  }
  if (file === undefined) return value;
  try {
    const text = readFileSync(file, "utf8").trim();
    if (text === "") problems.push(`${env}_FILE: ${file} is empty`);
    return text === "" ? undefined : text;
  } catch (err) {
    problems.push(`${env}_FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    return undefined;
  }
}

/** A URL read from a file gets the same check a flag's would. */
function urlFrom(raw: string | undefined, env: string, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  const r = checkUrl(raw);
  if (r.ok) return r.value;
  problems.push(`${env}: expected an http:// or https:// URL`);
  return undefined;
}

export function resolveNotify(s: NotifySettings): Checked<NotifyConfig> {
  const problems: string[] = [];
  const targets: TargetConfig[] = [];
  const token = secretOf(s.telegramBotToken, s.telegramBotTokenFile, "OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN", problems);
  if (token !== undefined && /[\s/]/.test(token)) problems.push("OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: a bot token has no spaces or slashes (from @BotFather: 123456:ABC...)");
  else if (token !== undefined && s.telegramChatId === undefined) problems.push("OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN is set but OPENCLAW_OTEL_TELEGRAM_CHAT_ID is not");
  else if (token === undefined && s.telegramChatId !== undefined) problems.push("OPENCLAW_OTEL_TELEGRAM_CHAT_ID is set but OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN is not");
  else if (token !== undefined) targets.push({ name: "telegram", apiUrl: s.telegramApiUrl.replace(/\/+$/, ""), token, chatId: s.telegramChatId! });
  const hooks: Array<[Exclude<TargetName, "telegram">, string | undefined, string | undefined, string]> = [
    ["discord", s.discordWebhookUrl, s.discordWebhookUrlFile, "OPENCLAW_OTEL_DISCORD_WEBHOOK_URL"],
    ["slack", s.slackWebhookUrl, s.slackWebhookUrlFile, "OPENCLAW_OTEL_SLACK_WEBHOOK_URL"],
    ["ntfy", s.ntfyUrl, s.ntfyUrlFile, "OPENCLAW_OTEL_NTFY_URL"],
    ["webhook", s.notifyWebhookUrl, s.notifyWebhookUrlFile, "OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL"],
  ];
  for (const [name, value, file, env] of hooks) {
    const url = urlFrom(secretOf(value, file, env, problems), env, problems);
    if (url !== undefined) targets.push({ name, url });
  }
  if (problems.length > 0) return { ok: false, messages: problems };
  const value: NotifyConfig = { minSeverity: s.notifyMinSeverity, groupWaitMs: s.notifyGroupWaitMs, repeatIntervalMs: s.notifyRepeatIntervalMs, pageUrl: s.notifyPageUrl, targets };
  if (s.notifyBudgetTokens !== undefined || s.notifyBudgetUsd !== undefined) {
    const steps = [...new Set(s.notifyBudgetSteps.split(",").map(Number))].sort((a, b) => a - b);
    value.budget = { steps, ...(s.notifyBudgetTokens !== undefined ? { tokens: s.notifyBudgetTokens } : {}), ...(s.notifyBudgetUsd !== undefined ? { usd: s.notifyBudgetUsd } : {}) };
  }
  if (s.notifyDigestHour !== undefined) value.digestHour = s.notifyDigestHour;
  if (s.notifyQuietHours !== undefined) {
    const [from, to] = s.notifyQuietHours.split("-").map((hm) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5)));
    if (from !== to) value.quietHours = { from: from!, to: to! };
  }
  return { ok: true, value };
}

/** Every credential of the targets, to scrub from any text that might carry one (errors, logs). */
export function secretsOf(targets: readonly TargetConfig[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    if (t.name === "telegram") out.push(t.token, t.chatId);
    else {
      out.push(t.url);
      // The path alone (a Discord webhook's id/token) may show up without the host.
      const u = URL.parse(t.url);
      if (u !== null && u.pathname.length > 1) out.push(u.pathname + u.search);
    }
  }
  return out.filter((s) => s.length >= 4);
}
