/**
 * A Note in each chat's own format, within each API's documented limits:
 * - Telegram sendMessage, parse_mode HTML: text 1-4096 characters; only `&`, `<`, `>` (and `"`
 *   in attributes) are markup, escaped as entities (core.telegram.org/bots/api#html-style).
 * - Discord webhook embeds: at most 10 per message; title 256, description 4096, footer 2048,
 *   all embeds together 6000 characters; content 2000 (discord.com/developers/docs/resources/message#embed-object-embed-limits).
 *   Mentions are switched off (`allowed_mentions.parse: []`): a name reading `@everyone` pings nobody.
 * - Slack incoming webhook blocks: header 150, section text 3000, at most 50 blocks; `text` is
 *   the notification's fallback (api.slack.com/reference/block-kit/blocks).
 */
import type { Note, NoteItem } from "./note.ts";
import { escDiscord, escHtml, escSlack, fit, fitBlocks, type Escape } from "./text.ts";

export const TELEGRAM_MAX = 4096;
export const DISCORD = { embeds: 10, title: 256, description: 4096, footer: 2048, total: 6000, content: 2000 } as const;
export const SLACK = { header: 150, section: 3000, blocks: 50 } as const;

const MARK = { critical: "🔴", warning: "🟠", info: "🔵", resolved: "✅" } as const;
const COLOR = { critical: 0xd0312d, warning: 0xf0a020, info: 0x3b82f6, resolved: 0x2e9e4f } as const;
const LABEL: Record<NoteItem["change"], string> = { opened: "", update: "Update: ", still: "Still going on: ", resolved: "Resolved: ", test: "" };

/** An item's parts, each escaped and cut to a share of the budget so one item always fits. */
function parts(i: NoteItem, esc: Escape, scale = 1): { head: string; text: string; facts: string[] } {
  return {
    head: fit(`${LABEL[i.change]}${i.head}`, 200 * scale, esc),
    text: fit(i.text, 1200 * scale, esc),
    facts: i.facts.slice(0, 6).map((f) => fit(f, 250 * scale, esc)),
  };
}

export function telegramText(n: Note): string {
  const top = `${MARK[n.level]} <b>${fit(n.title, 300, escHtml)}</b>\n<i>${fit(`gateway ${n.host}`, 120, escHtml)}</i>`;
  // One item: the title is its head already.
  const blocks = n.items.map((i) => {
    const p = parts(i, escHtml);
    return [...(n.items.length > 1 ? [`<b>${p.head}</b>`] : []), p.text, ...p.facts.map((f) => `• ${f}`)].join("\n");
  });
  const link = n.link === undefined ? "" : `\n\n<a href="${fit(n.link, 500, escHtml)}">status page</a>`;
  const more = (k: number) => `… and ${k} more (see the status page)`;
  return fitBlocks([top, ...blocks], TELEGRAM_MAX - link.length, "\n\n", more) + link;
}

export interface DiscordEmbed { title: string; description: string; color: number; timestamp: string; footer?: { text: string }; url?: string }
export interface DiscordBody { username: string; content: string; embeds: DiscordEmbed[]; allowed_mentions: { parse: string[] } }

const embedSize = (e: DiscordEmbed) => e.title.length + e.description.length + (e.footer?.text.length ?? 0);

export function discordBody(n: Note): DiscordBody {
  const embeds: DiscordEmbed[] = [];
  let total = 0;
  for (const i of n.items) {
    const p = parts(i, escDiscord);
    const e: DiscordEmbed = {
      title: fit(`${LABEL[i.change]}${i.head}`, DISCORD.title, escDiscord),
      description: fit([p.text, ...p.facts.map((f) => `• ${f}`)].join("\n"), DISCORD.description),
      color: COLOR[i.change === "resolved" ? "resolved" : i.severity],
      timestamp: new Date(i.end ?? i.start).toISOString(),
      footer: { text: fit(`gateway ${n.host}`, 200, escDiscord) },
    };
    if (n.link !== undefined) e.url = n.link;
    // Room for the "more" embed is kept while items remain.
    if (embeds.length === DISCORD.embeds - 1 || total + embedSize(e) > DISCORD.total - 100) break;
    embeds.push(e);
    total += embedSize(e);
  }
  const left = n.items.length - embeds.length;
  if (left > 0) embeds.push({ title: `… and ${left} more`, description: "see the status page", color: COLOR.info, timestamp: new Date(n.at).toISOString() });
  return {
    username: "OpenClaw sidecar",
    content: fit(`${MARK[n.level]} ${n.title}`, DISCORD.content, escDiscord),
    embeds,
    allowed_mentions: { parse: [] },
  };
}

export interface SlackBody { text: string; blocks: Array<Record<string, unknown>> }

export function slackBody(n: Note): SlackBody {
  const blocks: Array<Record<string, unknown>> = [
    // plain_text is shown as written: nothing in it is markup.
    { type: "header", text: { type: "plain_text", text: fit(`${MARK[n.level]} ${n.title}`, SLACK.header), emoji: true } },
    { type: "context", elements: [{ type: "mrkdwn", text: fit(`gateway ${n.host}`, 200, escSlack) }] },
  ];
  const room = SLACK.blocks - blocks.length - 2;
  for (const i of n.items.slice(0, room)) {
    const p = parts(i, escSlack);
    blocks.push({ type: "section", text: { type: "mrkdwn", text: fit([`*${p.head}*`, p.text, ...p.facts.map((f) => `• ${f}`)].join("\n"), SLACK.section) } });
  }
  if (n.items.length > room) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `… and ${n.items.length - room} more` }] });
  if (n.link !== undefined) blocks.push({ type: "section", text: { type: "mrkdwn", text: `<${fit(n.link, 500, escSlack).replace(/\|/g, "%7C")}|status page>` } });
  return { text: fit(`${MARK[n.level]} ${n.title} (gateway ${n.host})`, 3000, escSlack), blocks };
}
