/**
 * The page and `report` name the companion plugin where it is on this machine (issue 24: they
 * named /opt/openclaw-otel-sidecar/plugin whatever the install): in a checkout, its plugin/.
 * The npm package's layout (dist/src/events) is checked by test/package/npm-pack.test.ts's
 * tarball holding plugin/ three levels above the built file.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pluginDir, pluginInstall } from "../../src/events/visibility.ts";

describe("the plugin's path", () => {
  it("is this checkout's plugin/ folder, and the install command names it", () => {
    const here = join(import.meta.dirname, "..", "..", "plugin");
    expect(pluginDir()).toBe(here);
    expect(existsSync(join(pluginDir(), "openclaw.plugin.json"))).toBe(true);
    expect(pluginInstall()).toBe(`openclaw plugins install ${here}`);
  });
});
