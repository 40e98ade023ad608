/**
 * The companion plugin redacts free text with the sidecar's own rules: plugin/secret-rules.js
 * is generated from src/redact/secret-rules.ts (the plugin must stay dependency-free, so it
 * carries a copy). This test fails when the two differ; regenerate with
 * `UPDATE_PLUGIN_RULES=1 npx vitest run test/openclaw/plugin-rules.test.ts`.
 * It also runs every planted secret shape through both redactors.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkGolden } from "../support/golden.ts";
import * as pluginRules from "../../plugin/secret-rules.js";
import { redactSecrets } from "../../src/redact/redact.ts";
import { HINT, RULES } from "../../src/redact/secret-rules.ts";
import { SHAPES } from "../events/secret-shapes.ts";

const FILE = fileURLToPath(new URL("../../plugin/secret-rules.js", import.meta.url));
const re = (r: RegExp) => `new RegExp(${JSON.stringify(r.source)}, ${JSON.stringify(r.flags)})`;

function generated(): string {
  return [
    "// GENERATED from src/redact/secret-rules.ts by test/openclaw/plugin-rules.test.ts",
    "// (UPDATE_PLUGIN_RULES=1): the sidecar's secret shapes, so the plugin redacts free text",
    "// exactly as the sidecar does without depending on it. Do not edit by hand.",
    "",
    "/** @type {ReadonlyArray<readonly [RegExp, string]>} */",
    "export const RULES = [",
    ...RULES.map(([r, s]) => `  [${re(r)}, ${JSON.stringify(s)}],`),
    "];",
    "",
    `export const HINT = ${re(HINT)};`,
    "",
    "/** @param {string} text */",
    "export function redactSecrets(text) {",
    "  if (text.length < 8 || !HINT.test(text)) return text;",
    "  let out = text;",
    "  for (const [r, replacement] of RULES) out = out.replace(r, replacement);",
    "  return out;",
    "}",
    "",
  ].join("\n");
}

describe("plugin secret rules", () => {
  it("equal the sidecar's rule list", () => {
    checkGolden(FILE, generated(), "UPDATE_PLUGIN_RULES");
    expect(pluginRules.RULES.map(([r, s]) => [r.source, r.flags, s])).toEqual(RULES.map(([r, s]) => [r.source, r.flags, s]));
    expect([pluginRules.HINT.source, pluginRules.HINT.flags]).toEqual([HINT.source, HINT.flags]);
  });

  it("redact every planted shape exactly as the sidecar does", () => {
    expect(SHAPES.length).toBeGreaterThan(50);
    for (const shape of SHAPES) {
      const text = `upstream error: ${shape.text} while calling the provider`;
      expect(pluginRules.redactSecrets(text), shape.name).toBe(redactSecrets(text));
    }
  });
});
