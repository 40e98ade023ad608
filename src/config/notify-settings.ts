/**
 * The notification settings (src/notify): targets, minimum severity, grouping. Part of the one
 * settings table (settings.ts spreads this in), kept apart so that file stays readable.
 *
 * Names follow the house pattern; two are fixed because outside checks use them:
 * OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL and OPENCLAW_OTEL_TELEGRAM_API_URL. Every credential (bot
 * token, webhook URLs, the ntfy topic URL) may come from a file instead (`*_FILE`, as Docker
 * secrets are mounted) and is marked `secret`: config.ts never echoes it in an error.
 */
import { int, matching, oneOf, text, url, type Check } from "./values.ts";

/** `22:00-07:00`: local time of the sidecar's host (its TZ). */
export const QUIET_HOURS_RE = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
export const QUIET_HOURS_MESSAGE = "expected HH:MM-HH:MM in 24-hour local time, e.g. 22:00-07:00";

/** `50,80,95,100`: ascending whole percentages, 1 to 1000. */
export const BUDGET_STEPS_RE = /^([1-9]\d{0,3})(,[1-9]\d{0,3})*$/;
export const BUDGET_STEPS_MESSAGE = "expected whole percentages separated by commas, e.g. 50,80,95,100";

/** A positive amount of US dollars, cents allowed (schema.ts checks a config file's the same way). */
export const MONEY_RE = /^\d{1,12}(\.\d{1,6})?$/;
export const MONEY_MESSAGE = "expected a positive amount of US dollars, e.g. 5 or 2.50";
const money: Check<number> = (raw) => {
  const t = typeof raw === "string" ? raw.trim() : "";
  return MONEY_RE.test(t) && Number(t) > 0 ? { ok: true, value: Number(t) } : { ok: false, messages: [MONEY_MESSAGE] };
};

export type NotifySeverity = "critical" | "warning" | "info";

export interface NotifySettings {
  notifyMinSeverity: NotifySeverity;
  notifyGroupWaitMs: number;
  notifyRepeatIntervalMs: number;
  notifyPageUrl?: string | undefined;
  notifyQuietHours?: string | undefined;
  notifyBudgetTokens?: number | undefined;
  notifyBudgetUsd?: number | undefined;
  notifyBudgetSteps: string;
  notifyDigestHour?: number | undefined;
  notifyWebhookUrl?: string | undefined;
  notifyWebhookUrlFile?: string | undefined;
  telegramApiUrl: string;
  telegramBotToken?: string | undefined;
  telegramBotTokenFile?: string | undefined;
  telegramChatId?: string | undefined;
  discordWebhookUrl?: string | undefined;
  discordWebhookUrlFile?: string | undefined;
  slackWebhookUrl?: string | undefined;
  slackWebhookUrlFile?: string | undefined;
  ntfyUrl?: string | undefined;
  ntfyUrlFile?: string | undefined;
}

/** The same shape as settings.ts's Setting (structurally), without importing it (no circle). */
interface Row<T> {
  flag: string; env: string; arg?: string; description: string; defaultText?: string; secret?: boolean;
  check: Check<NonNullable<T>>;
  default?: T;
}

const FILE_NOTE = "Read at start-up; trailing newline ignored.";

export const NOTIFY_SETTINGS: { readonly [K in keyof NotifySettings]-?: Row<NotifySettings[K]> } = {
  notifyMinSeverity: { check: oneOf<NotifySeverity>(["critical", "warning", "info"], "expected critical, warning or info"), default: "warning",
    flag: "--notify-min-severity", env: "OPENCLAW_OTEL_NOTIFY_MIN_SEVERITY", arg: "LEVEL",
    description: "Least severe incident that sends a notification: critical (every model failing, gateway silent), "
      + "warning (also rate limits, auth, billing, provider errors, stuck sessions, channels, lost log records) or info (also lane waits and deep queues)." },
  notifyGroupWaitMs: { check: int(0, 600_000), default: 3000, flag: "--notify-group-wait", env: "OPENCLAW_OTEL_NOTIFY_GROUP_WAIT", arg: "MS",
    description: "How long a new incident or change waits before it is sent, so a burst of them goes out as one message (milliseconds)." },
  notifyRepeatIntervalMs: { check: int(60_000, 86_400_000), default: 3_600_000, flag: "--notify-repeat-interval", env: "OPENCLAW_OTEL_NOTIFY_REPEAT_INTERVAL", arg: "MS",
    description: "An incident still going on is told again at most this often (milliseconds; new facts such as a fallback are told at once)." },
  notifyPageUrl: { check: url, flag: "--notify-page-url", env: "OPENCLAW_OTEL_NOTIFY_PAGE_URL", arg: "URL", defaultText: "none",
    description: "Address of the status page as the reader reaches it (e.g. through a proxy or VPN); messages link to it." },
  notifyQuietHours: { check: matching(QUIET_HOURS_RE, QUIET_HOURS_MESSAGE), flag: "--notify-quiet-hours", env: "OPENCLAW_OTEL_NOTIFY_QUIET_HOURS", arg: "HH:MM-HH:MM",
    defaultText: "none", description: "Local hours when only critical notifications go out (every model failing, gateway silent); the rest wait and go when they end." },
  notifyBudgetTokens: { check: int(1, 1e12), flag: "--notify-budget-tokens", env: "OPENCLAW_OTEL_NOTIFY_BUDGET_TOKENS", arg: "N", defaultText: "none",
    description: "Daily token budget (local day): a message when today's tokens cross each of --notify-budget-steps (needs usage: the plugin or OpenClaw's session store)." },
  notifyBudgetUsd: { check: money, flag: "--notify-budget-usd", env: "OPENCLAW_OTEL_NOTIFY_BUDGET_USD", arg: "USD", defaultText: "none",
    description: "Daily cost budget in US dollars (local day), told like the token budget." },
  notifyBudgetSteps: { check: matching(BUDGET_STEPS_RE, BUDGET_STEPS_MESSAGE), default: "50,80,95,100", flag: "--notify-budget-steps", env: "OPENCLAW_OTEL_NOTIFY_BUDGET_STEPS",
    arg: "PCT,...", description: "Percentages of a budget that are told, each once a day: below 80 informs, 80 and up warns, 100 and up is critical." },
  notifyDigestHour: { check: int(0, 23), flag: "--notify-digest-hour", env: "OPENCLAW_OTEL_NOTIFY_DIGEST_HOUR", arg: "HOUR", defaultText: "none",
    description: "Local hour (0-23) of a daily digest: the state now, the last 24 hours' incidents and downtime, today's usage (sent whatever the severity and quiet hours)." },
  notifyWebhookUrl: { check: url, secret: true, flag: "--notify-webhook-url", env: "OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL", arg: "URL", defaultText: "none",
    description: "Generic JSON webhook: each message is POSTed as JSON (fields in the README)." },
  notifyWebhookUrlFile: { check: text, flag: "--notify-webhook-url-file", env: "OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL_FILE", arg: "PATH", defaultText: "none",
    description: `File holding the generic webhook URL. ${FILE_NOTE}` },
  telegramApiUrl: { check: url, default: "https://api.telegram.org", flag: "--telegram-api-url", env: "OPENCLAW_OTEL_TELEGRAM_API_URL", arg: "URL",
    description: "Telegram Bot API base URL (a self-hosted Bot API server)." },
  telegramBotToken: { check: text, secret: true, flag: "--telegram-bot-token", env: "OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN", arg: "TOKEN", defaultText: "none",
    description: "Telegram bot token from @BotFather (prefer the environment or the _FILE form: a flag shows in `ps`)." },
  telegramBotTokenFile: { check: text, flag: "--telegram-bot-token-file", env: "OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN_FILE", arg: "PATH", defaultText: "none",
    description: `File holding the Telegram bot token. ${FILE_NOTE}` },
  telegramChatId: { check: text, flag: "--telegram-chat-id", env: "OPENCLAW_OTEL_TELEGRAM_CHAT_ID", arg: "ID", defaultText: "none",
    description: "Chat the bot writes to: a user or group id (e.g. -1001234567890) or @channelname; needed with the token." },
  discordWebhookUrl: { check: url, secret: true, flag: "--discord-webhook-url", env: "OPENCLAW_OTEL_DISCORD_WEBHOOK_URL", arg: "URL", defaultText: "none",
    description: "Discord channel webhook URL (messages as embeds)." },
  discordWebhookUrlFile: { check: text, flag: "--discord-webhook-url-file", env: "OPENCLAW_OTEL_DISCORD_WEBHOOK_URL_FILE", arg: "PATH", defaultText: "none",
    description: `File holding the Discord webhook URL. ${FILE_NOTE}` },
  slackWebhookUrl: { check: url, secret: true, flag: "--slack-webhook-url", env: "OPENCLAW_OTEL_SLACK_WEBHOOK_URL", arg: "URL", defaultText: "none",
    description: "Slack incoming webhook URL (messages as blocks)." },
  slackWebhookUrlFile: { check: text, flag: "--slack-webhook-url-file", env: "OPENCLAW_OTEL_SLACK_WEBHOOK_URL_FILE", arg: "PATH", defaultText: "none",
    description: `File holding the Slack webhook URL. ${FILE_NOTE}` },
  ntfyUrl: { check: url, secret: true, flag: "--ntfy-url", env: "OPENCLAW_OTEL_NTFY_URL", arg: "URL", defaultText: "none",
    description: "ntfy topic URL, e.g. https://ntfy.sh/your-secret-topic (phones without a chat app)." },
  ntfyUrlFile: { check: text, flag: "--ntfy-url-file", env: "OPENCLAW_OTEL_NTFY_URL_FILE", arg: "PATH", defaultText: "none",
    description: `File holding the ntfy topic URL. ${FILE_NOTE}` },
};
