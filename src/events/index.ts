export { parseLine } from "./parse-line.ts";
export { redactSecrets } from "../redact/redact.ts";
export { Deduper, type DeduperOptions } from "./dedupe.ts";
export { formatEvent } from "./format.ts";
export type * from "./types.ts";
