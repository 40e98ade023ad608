#!/usr/bin/env node
/**
 * openclaw-otel: `run` (the default) follows OpenClaw's log directory; `replay` reads files
 * once. Errors a user can fix (bad settings, an unreadable checkpoint, a missing file) print one
 * clear message and exit 2; a state directory another sidecar holds exits 3 (state-lock.ts);
 * nothing an input line contains can stop the process.
 */
import { UsageError } from "./commands/usage-error.ts";

/**
 * Every command loads only its own modules: `replay` never loads the config schema (zod,
 * ~0.17 CPU s and +18 MB), the sidecar or the doctor, and `run` never loads replay.ts or
 * cli-progress (bench/README.md, issue 11).
 */
const replayModule = () => import("./commands/replay.ts");
const configModule = () => import("./config/config.ts");
const doctorHelp = async () => (await import("./commands/doctor.ts")).DOCTOR_HELP;
const version = async () => (await import("./sidecar/version.ts")).VERSION;

const usage = (v: string) => `openclaw-otel ${v}: OpenTelemetry for OpenClaw's logs

Commands:
  run [options]                    follow the log directory (default command)
  replay [--format F] FILE...      read files once; print events or Prometheus text
  report [--since 24h] [DIR|FILE...]  what went wrong, from the files: timeline, verdict, summary
  demo [--speed N]                 replay real captures into a live sidecar: the page and /metrics on 127.0.0.1
  doctor [options]                 check the setup run would have (logs, plugin, OTLP, /metrics)
  notify test [--target NAME]      send a test notification to each target (Telegram, Discord, Slack, ntfy, webhook)
  stack init DIR [--force]         write the compose stack (collector, Prometheus rules, Alertmanager, Grafana) into DIR
  install-service [--unit-dir D]   write the systemd user unit with this node's and this CLI's absolute paths
  help [COMMAND]                   this text, or one command's options (also COMMAND --help)
  version
`;

/** One command's help (its options), or the commands and run's options when none is named. */
async function helpFor(command: string | undefined): Promise<string> {
  const { helpText } = await configModule();
  switch (command) {
    case "run": return helpText();
    case "replay": return (await replayModule()).REPLAY_HELP;
    case "report": return (await import("./report/index.ts")).REPORT_HELP;
    case "demo": return (await import("./commands/demo.ts")).DEMO_HELP;
    case "doctor": return `${await doctorHelp()}\n${helpText()}`;
    case "notify": return (await import("./commands/notify-test.ts")).NOTIFY_HELP;
    case "stack": return (await import("./commands/stack-init.ts")).STACK_HELP;
    case "install-service": return (await import("./commands/install-service.ts")).INSTALL_SERVICE_HELP;
    default: return `${usage(await version())}\n${helpText()}`;
  }
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const command = first === undefined || first.startsWith("-") ? "run" : first;
  const args = command === first ? rest : argv;
  if (command === "version" || args.includes("--version")) {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  // `help X`, `X --help`, `X -h`: X's own options (issue 24: report and demo printed run's); a
  // bare `--help` lists the commands too.
  if (command === "help" || args.includes("--help") || args.includes("-h")) {
    process.stdout.write(await helpFor(command === "help" ? args[0] : command === first ? command : undefined));
    return 0;
  }
  if (command === "replay") {
    await (await replayModule()).replay(args, process.stdout, process.stderr);
    return 0;
  }
  // Neither needs the config: they write files out of the installed package.
  if (command === "stack") return (await import("./commands/stack-init.ts")).stackCommand(args, (s) => process.stdout.write(s));
  if (command === "install-service") return (await import("./commands/install-service.ts")).installService(args, process.env, (s) => process.stdout.write(s));
  const { parseConfig } = await configModule();
  if (command === "demo") {
    const { demo } = await import("./commands/demo.ts");
    await demo(args, new Promise((r) => { process.once("SIGINT", r); process.once("SIGTERM", r); }));
    return 0;
  }
  if (command === "notify") {
    const { notifyTest } = await import("./commands/notify-test.ts");
    return notifyTest(args, process.env, (s) => process.stdout.write(s));
  }
  if (command === "report") {
    const { report } = await import("./report/index.ts");
    await report(args, process.stdout, process.stderr);
    return 0;
  }
  if (command === "doctor") {
    const { doctor } = await import("./commands/doctor.ts");
    return doctor(parseConfig(args, process.env), (s) => process.stdout.write(s));
  }
  if (command !== "run") throw new UsageError(`unknown command "${command}"\n\n${usage(await version())}`);

  const cfg = parseConfig(args, process.env);
  const [{ createLogger }, { inspectLogs, storeSeen }, { Sidecar }, { progressWanted, startCatchUpProgress }, { tuneHeap }] = await Promise.all([
    import("./sidecar/log.ts"), import("./commands/doctor-files.ts"), import("./sidecar/sidecar.ts"), import("./sidecar/catch-up-progress.ts"),
    import("./sidecar/heap-tuning.ts"),
  ]);
  // A long run's young generation and old-space headroom, capped before the heap grows
  // (heap-tuning.ts: a 230-250 MB plateau otherwise).
  tuneHeap();
  const log = createLogger(cfg.logLevel);
  // Before anything reads or writes the state directory: one sidecar per directory. A second
  // one exits at once (a person who started it sees why) rather than waiting unseen; the
  // systemd unit restarts on this code, so it takes over within RestartSec once the other ends.
  const { EXIT_STATE_DIR_BUSY, lockStateDir } = await import("./tail/state-lock.ts");
  const lock = lockStateDir(cfg.stateDir, await version());
  if (lock.kind === "busy") {
    process.stderr.write(`openclaw-otel: ${lock.message}\n`);
    return EXIT_STATE_DIR_BUSY;
  }
  if (lock.kind === "unlocked") log.warn(lock.message);
  else {
    const { CheckpointStore } = await import("./tail/checkpoint.ts");
    const leftovers = new CheckpointStore(cfg.stateDir).removeLeftoverTemps();
    if (leftovers > 0) log.info(`removed ${leftovers} checkpoint temp file(s) left by an interrupted write`);
  }
  // The doctor's offline findings, one line each: what blocks telemetry as a warning, what
  // only limits it (no plugin JSONL) as information. `run` goes on either way: the gateway
  // may simply not have started yet.
  for (const note of cfg.exportNotes) log.warn(note);
  for (const f of inspectLogs(cfg.logsDir, Date.now(), storeSeen(cfg.openclawState))) {
    if (f.verdict === "fail") log.warn(f.detail);
    else if (f.verdict === "warn") log.info(f.detail);
  }
  // Handlers first: a SIGTERM that arrives while we are still starting must still end in a
  // clean stop with a final checkpoint, not in the default "die at once".
  let stopRequested: string | undefined;
  let requestStop: (sig: string) => void = (sig) => { stopRequested = sig; };
  process.once("SIGTERM", () => requestStop("SIGTERM"));
  process.once("SIGINT", () => requestStop("SIGINT"));
  const sidecar = new Sidecar(cfg, log);
  const progress = progressWanted(process.stderr)
    ? startCatchUpProgress(() => sidecar.unreadBytes(), process.stderr)
    : undefined;
  // Started first: on a first start, start() itself runs the first poll (up to 16 MiB per file).
  await sidecar.start();
  await new Promise<void>((resolve) => {
    requestStop = (sig) => {
      progress?.stop();
      log.info(`${sig}: flushing and writing the final checkpoint`);
      sidecar.stop().then(resolve, (err: unknown) => { log.error(`stop failed: ${(err as Error).message}`); resolve(); });
    };
    if (stopRequested) requestStop(stopRequested);
  });
  // Stopped, checkpoint written, last export tried: leave now. The OTLP exporter may still
  // hold retry timers for an unreachable collector that would keep Node alive past
  // `docker stop`'s grace period.
  process.exit(0);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    // By name: config.ts (and zod) is not loaded by every command.
    const known = (err instanceof Error && err.name === "ConfigError") || err instanceof UsageError || (err instanceof Error && /checkpoint/.test(err.message));
    process.stderr.write(`openclaw-otel: ${known ? (err as Error).message : (err as Error).stack ?? String(err)}\n`);
    process.exitCode = known ? 2 : 1;
  },
);
