/**
 * The help text and the README options table, both generated from the settings table in
 * settings.ts so they can never disagree with what the parser accepts.
 */
import { KEYS, metaOf, SETTINGS, type Key } from "./settings.ts";

function defaultText(key: Key): string {
  const meta = metaOf(key);
  if (meta.defaultText !== undefined) return meta.defaultText;
  const def = SETTINGS[key].default;
  return typeof def === "string" ? def : JSON.stringify(def);
}

export function helpText(): string {
  const lines = ["Usage: openclaw-otel run [options]", "", "Each setting: flag, environment variable, default. Flags beat the environment, which beats --config.", ""];
  for (const key of KEYS) {
    const m = metaOf(key);
    lines.push(`  ${m.flag}${m.arg ? ` ${m.arg}` : ""}   [${m.env}]`, `      ${m.description}`, `      default: ${defaultText(key)}`);
  }
  return `${lines.join("\n")}\n`;
}

export function optionsTableMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const rows = KEYS.map((key) => {
    const m = metaOf(key);
    return `| \`${m.flag}${m.arg ? ` ${m.arg}` : ""}\` | \`${m.env}\` | \`${key}\` | ${cell(defaultText(key))} | ${cell(m.description)} |`;
  });
  return ["| Flag | Environment | Config key | Default | Meaning |", "|---|---|---|---|---|", ...rows].join("\n") + "\n";
}
