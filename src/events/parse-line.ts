/**
 * The parser's one entry point: a line record from the tailer -> what it carries.
 * `diagnostics` lines are our plugin's JSONL (zod-validated); `log` lines are the tslog gateway
 * log (prefiltered, then echoes and derived events). docs/events.md lists every event.
 */
import type { LineRecord } from "../line/record.ts";
import type { ParseResult } from "./types.ts";
import type { parseJsonlLine } from "./parse-jsonl.ts";
import { parseLogLine } from "./parse-log.ts";
import { checkEvents } from "./time-guard.ts";

const IGNORED: ParseResult = { kind: "ignored" };

/**
 * The JSONL parser and its zod schemas load on the first diagnostics line, not at start-up:
 * zod costs ~0.17 CPU s and +18 MB, and many gateways (and most `replay` runs) have no JSONL.
 * Synchronous require of our own ES module (Node >= 22.12), so parseLine stays synchronous;
 * the file's extension follows this one's (.ts from src/, .js from the build).
 */
let jsonl: typeof parseJsonlLine | undefined;
function jsonlParser(): typeof parseJsonlLine {
  if (jsonl === undefined) {
    const require = process.getBuiltinModule("node:module").createRequire(import.meta.url);
    const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
    jsonl = (require(`./parse-jsonl${ext}`) as typeof import("./parse-jsonl.ts")).parseJsonlLine;
  }
  return jsonl;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * `wallClock` is read only for lines that are events (most lines are not). An event line dated
 * far ahead of it, or carrying a negative amount, is rejected whole (time-guard.ts).
 */
export function parseLine(record: LineRecord, wallClock: () => number = Date.now): ParseResult {
  if (record.error === "line_too_long") return { kind: "rejected", reason: "line_too_long", detail: "line longer than the tailer's limit" };
  const { line } = record;
  if (line.length === 0 || isBlank(line)) return IGNORED;
  const result = record.source === "diagnostics" ? jsonlParser()(line, record.profile) : parseLogLine(line, record.profile);
  if (result.kind !== "events") return result;
  const bad = checkEvents(result.events, wallClock());
  return bad === undefined ? result : { kind: "rejected", ...bad };
}
