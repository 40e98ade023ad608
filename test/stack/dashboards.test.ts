/**
 * Grafana dashboards: the committed JSON is what grafana/build produces, it typechecks against
 * @grafana/schema's Dashboard type (tsc, for real), follows the mixin conventions, and every
 * PromQL query parses and uses only golden series names and catalogue labels.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderAll } from "../../grafana/build/build-dashboards.ts";
import { METRICS } from "../../src/telemetry/naming/catalogue.ts";
import { RATE_SENTINEL, allowedLabels, at, goldenNames, listFiles, loadRules, promql, readText, readYaml, run, substituteGrafana } from "./stack-helpers.ts";

type Obj = Record<string, unknown>;
interface Target { datasource?: { uid?: string }; expr?: string; operation?: string; instant?: boolean }
interface PanelJson extends Obj { type: string; title?: string; description?: string; datasource?: { uid?: string }; targets?: Target[]; fieldConfig?: { defaults?: { unit?: string } }; links?: Array<{ url: string }> }
const files = listFiles("grafana/dashboards", ".json");
const dashboards = files.map((f) => ({ file: f, d: JSON.parse(readText("grafana", "dashboards", f)) as Obj & { panels: PanelJson[] } }));
const uids = new Set((readYaml("grafana", "provisioning", "datasources", "openclaw.yml") as { datasources: Array<{ uid: string }> }).datasources.map((d) => d.uid));
const recorded = new Set(loadRules().flatMap((r) => (r.record !== undefined ? [r.record] : [])));
const promTargets = dashboards.flatMap(({ file, d }) =>
  d.panels.flatMap((p) => (p.targets ?? []).filter((t) => t.expr !== undefined).map((t) => ({ file, title: p.title ?? "", expr: t.expr ?? "", instant: t.instant === true }))));

describe("grafana dashboards", () => {
  it("are exactly what grafana/build generates", () => {
    const rendered = renderAll();
    expect(files).toEqual([...rendered.keys()].sort());
    for (const [file, text] of rendered) expect(readText("grafana", "dashboards", file), `${file}: run node grafana/build/build-dashboards.ts`).toBe(text);
  });

  it("are the seven the product lists", () => {
    expect(dashboards.map(({ d }) => d.title).sort()).toEqual([
      "OpenClaw / Channels", "OpenClaw / Fleet", "OpenClaw / Models and failover", "OpenClaw / Overview",
      "OpenClaw / Sessions and queues", "OpenClaw / Sidecar health", "OpenClaw / Tokens and cost",
    ]);
  });

  it("typecheck against @grafana/schema's Dashboard type, and the check can fail", () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-dash-"));
    try {
      const header = 'import type { Dashboard } from "@grafana/schema";\n';
      for (const { file, d } of dashboards) writeFileSync(join(dir, file.replace(/\.json$/, ".mts")), `${header}export const d: Dashboard = ${JSON.stringify(d, null, 2)};\n`);
      // If the type stopped catching a wrong field, tsc would report the unused directive.
      writeFileSync(join(dir, "must-fail.mts"), `${header}// @ts-expect-error schemaVersion must be a number\nexport const bad: Dashboard = { schemaVersion: "41", panels: [] };\n`);
      const schemaTypes = at("node_modules", "@grafana", "schema", "dist", "types", "index.d.ts");
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
        compilerOptions: {
          target: "ES2023", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true,
          allowImportingTsExtensions: true, verbatimModuleSyntax: true, noUncheckedIndexedAccess: true,
          types: ["node"], typeRoots: [at("node_modules", "@types")], paths: { "@grafana/schema": [schemaTypes] },
        },
        // The builder itself is typed with the same schema; check it in the same run.
        files: [...readdirSync(dir).filter((f) => f.endsWith(".mts")).map((f) => join(dir, f)), ...listFiles("grafana/build", ".ts").map((f) => at("grafana", "build", f))],
      }));
      const r = run(process.execPath, [at("node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")]);
      expect(r.stdout + r.stderr).toBe("");
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("follow the conventions: uid = file stem, shared tag, no id/version, unit and description on every panel", () => {
    for (const { file, d } of dashboards) {
      expect(d.uid, file).toBe(file.replace(/\.json$/, ""));
      expect(d.tags, file).toContain("openclaw");
      expect(d, file).not.toHaveProperty("id");
      expect(d, file).not.toHaveProperty("version");
      // Numeric ids are Grafana's noise; a transformation's or matcher's id ("merge", "byName") names what it does.
      expect(JSON.stringify(d), file).not.toMatch(/"(id|version|iteration)":(?!"[a-zA-Z][\w.-]*")/);
      const vars = ((d.templating as { list: Array<{ name: string; type: string; query?: unknown; current?: { value?: string }; datasource?: { uid?: string } }> }).list);
      expect(vars.map((v) => v.name), file).toEqual(expect.arrayContaining(["datasource", "traces", "host", "profile"]));
      // Data sources by variable, defaulting to the provisioned uids: importable elsewhere.
      for (const v of vars.filter((x) => x.type === "datasource")) expect(uids, `${file} $${v.name}`).toContain(v.current?.value);
      for (const v of vars.filter((x) => x.type === "query")) expect(v.datasource?.uid, `${file} $${v.name}`).toBe("${datasource}");
      for (const p of d.panels.filter((x) => x.type !== "row")) {
        const who = `${file} / ${p.title}`;
        expect(p.description, who).toMatch(/\S{3}/);
        expect(p.fieldConfig?.defaults?.unit, who).toMatch(/\S/);
        expect(["${datasource}", "${traces}"], who).toContain(p.datasource?.uid);
        for (const t of p.targets ?? []) expect(t.datasource?.uid, who).toBe(p.datasource?.uid);
        // Every series selector filters by host and profile.
        for (const t of p.targets ?? []) if (t.expr !== undefined) expect(t.expr, who).toContain('openclaw_profile=~"$profile"');
      }
      // No literal data-source uid is left anywhere but in the variables' defaults.
      expect(JSON.stringify(d.panels), file).not.toMatch(/openclaw-(prometheus|jaeger)/);
    }
  });

  it("filter by gateway host everywhere, and by channel wherever the variable is offered", () => {
    for (const { file, d } of dashboards) {
      const hasChannel = (d.templating as { list: Array<{ name: string }> }).list.some((v) => v.name === "channel");
      const exprs = promTargets.filter((t) => t.file === file).map((t) => t.expr);
      for (const e of exprs) for (const sel of e.match(/openclaw_[a-z_:]+\{[^}]*\}/g) ?? []) expect(sel, file).toContain('host_name=~"$host"');
      if (hasChannel) expect(exprs.some((e) => e.includes('openclaw_channel=~"$channel"')), file).toBe(true);
    }
  });

  it("parse as PromQL with $__rate_interval in every rate and increase ($__range only in a table's instant query)", () => {
    expect(promTargets.length).toBeGreaterThan(60);
    for (const t of promTargets) {
      const facts = promql(substituteGrafana(t.expr));
      expect(facts.errors, `${t.file} / ${t.title}: ${t.expr}`).toEqual([]);
      // An instant table (the fleet's) looks back over the dashboard's range: a silent sidecar keeps its row.
      const ranges = t.instant ? [RATE_SENTINEL, substituteGrafana("$__range").replace(/^\$/, "")] : [RATE_SENTINEL];
      for (const f of facts.rangeFunctions) expect(ranges, `${t.file} / ${t.title}: ${f.fn} [${f.range}]`).toContain(f.range);
    }
  });

  it("use only golden series names and catalogue labels", () => {
    const golden = goldenNames();
    const labels = allowedLabels();
    for (const t of promTargets) {
      const facts = promql(substituteGrafana(t.expr));
      for (const m of facts.metrics) expect(golden.has(m) || recorded.has(m), `${t.file} / ${t.title} uses ${m}`).toBe(true);
      for (const l of facts.labels) expect(labels.has(l), `${t.file} / ${t.title} uses label ${l}`).toBe(true);
    }
  });

  it("show every metric of the catalogue somewhere", () => {
    const used = new Set(promTargets.flatMap((t) => promql(substituteGrafana(t.expr)).metrics));
    for (const r of loadRules()) for (const m of promql(r.expr).metrics) used.add(m);
    const family = (n: string) => n.replace(/_(bucket|count|sum)$/, "");
    const usedFamilies = new Set([...used].map(family));
    const golden = [...goldenNames()];
    for (const m of METRICS) {
      const stem = m.name.replace(/[^A-Za-z0-9]+/g, "_");
      const names = golden.filter((g) => g.startsWith(stem));
      expect(names.some((n) => usedFamilies.has(family(n))), m.name).toBe(true);
    }
  });

  it("link spans in the traces store where the sidecar makes them", () => {
    const jaeger = "${traces}";
    const operations = new Set<string>();
    for (const { d } of dashboards) {
      for (const p of d.panels) {
        for (const t of p.targets ?? []) if (t.operation !== undefined) { expect(t.datasource?.uid).toBe(jaeger); operations.add(t.operation); }
        for (const l of p.links ?? []) expect(decodeURIComponent(l.url)).toContain(`"datasource":"${jaeger}"`);
      }
    }
    expect([...operations].sort()).toEqual(["openclaw.model.usage", "openclaw.session.stuck", "openclaw.webhook.error"]);
  });
});
