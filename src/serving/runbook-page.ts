/**
 * GET /runbook: prometheus/runbook.md as a plain HTML page, so every alert's runbook_url
 * (default base http://127.0.0.1:9464/runbook, see prometheus/rules/knobs.yml) opens on the
 * machine that raised it, with no repository or internet needed. Only what the runbook uses
 * is rendered: `#`/`##` headings with GitHub-style anchors, `- ` list items, paragraphs,
 * `code` and **bold**; everything else is escaped text.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export const headingAnchor = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
const inline = (s: string) => escape(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>");

export function renderRunbook(markdown: string): string {
  const out: string[] = [];
  let para: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (para.length > 0) out.push(`<p>${inline(para.join(" "))}</p>`);
    if (list.length > 0) out.push(`<ul>${list.map((li) => `<li>${inline(li)}</li>`).join("")}</ul>`);
    para = [];
    list = [];
  };
  for (const line of markdown.split("\n")) {
    const h = /^(#{1,3}) (.*)$/.exec(line);
    if (h !== null) {
      flush();
      const level = h[1]!.length;
      out.push(`<h${level} id="${escape(headingAnchor(h[2]!))}">${inline(h[2]!)}</h${level}>`);
    } else if (line.startsWith("- ")) {
      if (para.length > 0) { const l = list; list = []; flush(); list = l; }
      list.push(line.slice(2));
    } else if (/^\s+\S/.test(line) && list.length > 0) {
      list[list.length - 1] += ` ${line.trim()}`;
    } else if (line.trim() === "") {
      flush();
    } else {
      para.push(line.trim());
    }
  }
  flush();
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenClaw alert runbook</title><style>${STYLE}</style></head>
<body>${out.join("\n")}</body></html>`;
}

const STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:1rem auto;padding:0 1rem}"
  + "h2{border-top:1px solid #ccc;padding-top:1rem}code{background:#f2f2f2;padding:0 .2em}:target{background:#fff6d5}";

/** prometheus/runbook.md beside the package (src/ under type stripping, dist/src/ compiled). */
export function loadRunbook(): string | undefined {
  for (const rel of ["../../prometheus/runbook.md", "../../../prometheus/runbook.md"]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return readFileSync(path, "utf8");
  }
  return undefined;
}
