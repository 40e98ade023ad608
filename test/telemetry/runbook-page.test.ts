/**
 * /runbook: the default base of every alert's runbook_url. Each alert's link must land on its
 * own section of the page the sidecar serves, and the page must carry no active content.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type HttpServer } from "../../src/serving/http-server.ts";
import { renderRunbook } from "../../src/serving/runbook-page.ts";
import { loadRules } from "../stack/stack-helpers.ts";
import { sampleSnapshot } from "../support/status-snapshot.ts";

describe("runbook page", () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer({ host: "127.0.0.1", port: 0, renderMetrics: () => "", health: () => ({ status: "ok" }), status: () => sampleSnapshot(Date.now()) });
  });
  afterAll(() => server?.close());

  it("serves a section for every alert's runbook anchor", async () => {
    const res = await fetch(`${server.url}/runbook`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    const alerts = [...new Set(loadRules().flatMap((r) => (r.alert === undefined ? [] : [r.alert])))];
    expect(alerts.length).toBeGreaterThan(20);
    for (const a of alerts) {
      expect(html, a).toContain(`<h2 id="${a.toLowerCase()}">${a}</h2>`);
      // The section says what to do, not only what it is.
      const section = html.split(`id="${a.toLowerCase()}"`)[1]?.split("<h2")[0] ?? "";
      expect(section, a).toContain("<b>Mitigation:</b>");
    }
  });

  it("escapes what it renders", () => {
    const html = renderRunbook("## A <script>x</script>\n\n- **Meaning:** `<img onerror=1>` & more\n");
    expect(html).not.toMatch(/<script>|<img/);
    expect(html).toContain("&#60;img onerror=1&#62;");
  });
});
