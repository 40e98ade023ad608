/**
 * The notification settings: targets from the environment or `*_FILE`, never both; a token
 * without its chat id refused; and no credential echoed in any error message.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/config.ts";

const errorOf = (args: string[], env: Record<string, string>): string => {
  try { parseConfig(args, env); } catch (err) { expect(err).toBeInstanceOf(ConfigError); return (err as Error).message; }
  throw new Error("no error");
};

describe("notification settings", () => {
  it("none by default: no target, warning and up, 3 s group wait, 1 h repeat, the public Bot API", () => {
    const n = parseConfig([], {}).notify;
    expect(n).toEqual({ minSeverity: "warning", groupWaitMs: 3000, repeatIntervalMs: 3_600_000, pageUrl: undefined, targets: [] });
    expect(parseConfig([], { OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: "1:abc", OPENCLAW_OTEL_TELEGRAM_CHAT_ID: "42" }).notify.targets)
      .toEqual([{ name: "telegram", apiUrl: "https://api.telegram.org", token: "1:abc", chatId: "42" }]);
  });

  it("reads credentials from *_FILE (trailing newline dropped), refuses both forms at once", () => {
    const dir = mkdtempSync(join(tmpdir(), "oc-notify-cfg-"));
    writeFileSync(join(dir, "tok"), "7:fileTOKEN\n");
    writeFileSync(join(dir, "hook"), "https://discord.example/api/webhooks/1/fileSECRET\n");
    const n = parseConfig([], { OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN_FILE: join(dir, "tok"), OPENCLAW_OTEL_TELEGRAM_CHAT_ID: "@ops", OPENCLAW_OTEL_DISCORD_WEBHOOK_URL_FILE: join(dir, "hook") }).notify;
    expect(n.targets).toEqual([
      { name: "telegram", apiUrl: "https://api.telegram.org", token: "7:fileTOKEN", chatId: "@ops" },
      { name: "discord", url: "https://discord.example/api/webhooks/1/fileSECRET" },
    ]);
    const both = errorOf([], { OPENCLAW_OTEL_NTFY_URL: "https://ntfy.sh/aSECRETtopic", OPENCLAW_OTEL_NTFY_URL_FILE: join(dir, "hook") });
    expect(both).toMatch(/OPENCLAW_OTEL_NTFY_URL and OPENCLAW_OTEL_NTFY_URL_FILE are both set/);
    expect(both).not.toContain("SECRET");
  });

  it("refuses half a Telegram target and malformed URLs without echoing them", () => {
    expect(errorOf([], { OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: "1:SECRETtok" })).toMatch(/TELEGRAM_CHAT_ID is not/);
    expect(errorOf([], { OPENCLAW_OTEL_TELEGRAM_CHAT_ID: "42" })).toMatch(/TELEGRAM_BOT_TOKEN is not/);
    for (const [env, value] of [["OPENCLAW_OTEL_DISCORD_WEBHOOK_URL", "discord.com/api/webhooks/1/SECRETnoscheme"], ["OPENCLAW_OTEL_SLACK_WEBHOOK_URL", "ftp://SECRET"],
      ["OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL", "hook SECRET"]] as const) {
      const msg = errorOf([], { [env]: value });
      expect(msg).toContain(env);
      expect(msg).not.toContain("SECRET");
    }
    expect(errorOf(["--notify-min-severity", "loud"], {})).toMatch(/expected critical, warning or info/);
    expect(errorOf(["--notify-quiet-hours", "22-7"], {})).toMatch(/expected HH:MM-HH:MM/);
    expect(parseConfig(["--notify-quiet-hours", "22:30-07:05"], {}).notify.quietHours).toEqual({ from: 22 * 60 + 30, to: 7 * 60 + 5 });
  });
});
