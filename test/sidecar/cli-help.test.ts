/**
 * Each command's help is its own (issue 24: `report --help`, `help report` and `-h` printed
 * run's options, and `--help` listed no command): every way of asking gives that command's
 * usage line, and a bare `--help` / `-h` / `help` lists every command.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI } from "./helpers.ts";

const help = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 20_000 });
/** The first line each command's own help starts with. */
const FIRST: Record<string, RegExp> = {
  run: /^Usage: openclaw-otel run \[options\]$/,
  replay: /^Usage: openclaw-otel replay /,
  report: /^Usage: openclaw-otel report /,
  demo: /^openclaw-otel demo /,
  doctor: /^Usage: openclaw-otel doctor/,
  notify: /^Usage: openclaw-otel notify test/,
};

describe("help", () => {
  for (const [command, first] of Object.entries(FIRST)) {
    it(`${command}: \`${command} --help\`, \`${command} -h\` and \`help ${command}\` print its own options`, () => {
      for (const args of [[command, "--help"], [command, "-h"], ["help", command]]) {
        const r = help(...args);
        expect(r.status, args.join(" ")).toBe(0);
        expect(r.stdout.split("\n")[0], args.join(" ")).toMatch(first);
      }
    });
  }

  it("lists every command for a bare --help, -h or help", () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const r = help(...args);
      expect(r.status).toBe(0);
      for (const command of Object.keys(FIRST)) expect(r.stdout, args.join(" ")).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });
});
