/**
 * Run by .ci/run after `npm test`: reads vitest's JSON report (vitest.config.ts writes
 * test/artifacts/vitest-results.json) and fails when a test was skipped, pending or todo
 * without being named in test/expected-skips.txt. A skip CI did not expect by name is a test
 * that proved nothing while the summary looked green.
 *   node test/check-skips.ts [results.json] [expected-skips.txt]
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const [resultsPath = join(ROOT, "test/artifacts/vitest-results.json"), allowPath = join(ROOT, "test/expected-skips.txt")] = process.argv.slice(2);

interface Assertion { fullName: string; status: string }
interface Results { testResults: { name: string; assertionResults: Assertion[] }[] }

/** "file<TAB or 2+ spaces>full name" per line; blank lines and # comments ignored. */
function allowList(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+)(?:\t|\s{2,})(.+)$/.exec(line);
    if (!m) throw new Error(`${allowPath}: "${line}" is not "file  full test name"`);
    out.add(`${m[1]}  ${m[2]}`);
  }
  return out;
}

const results = JSON.parse(readFileSync(resultsPath, "utf8")) as Results;
const allowed = allowList(readFileSync(allowPath, "utf8"));
const seen = new Set<string>();
const unexpected: string[] = [];
for (const file of results.testResults) {
  for (const a of file.assertionResults) {
    if (a.status === "passed" || a.status === "failed") continue;
    const id = `${relative(ROOT, file.name)}  ${a.fullName}`;
    seen.add(id);
    if (!allowed.has(id)) unexpected.push(`${id} (${a.status})`);
  }
}
const stale = [...allowed].filter((id) => !seen.has(id));
for (const id of unexpected) console.error(`unexpected skip: ${id}`);
for (const id of stale) console.error(`expected skip that did not happen (remove it from ${relative(ROOT, allowPath)}): ${id}`);
console.log(`skips: ${seen.size} (${seen.size - unexpected.length} expected by name), ${unexpected.length} unexpected`);
process.exitCode = unexpected.length > 0 || stale.length > 0 ? 1 : 0;
