/**
 * Why the sidecar reads nothing, with what to do about it, for the place a person looks first:
 * the page's verdict (issue 24: it said only "no events read yet" while the cause sat in
 * /healthz and the journal). From the tailer's last scan, so nothing lists the directory again.
 */
import type { TailerStats } from "../tail/tailer-options.ts";

/** The user this process reads as, for the remedy ("as uid 1000"). */
function whoAmI(): string {
  return typeof process.getuid === "function" ? `uid ${process.getuid()}` : "this user";
}

const GRANT = (dir: string) =>
  `run the sidecar as the gateway's user, or grant read access (setfacl -R -m u:$(id -un):rX ${dir}); in docker compose keep cap_add DAC_READ_SEARCH`;

/** undefined while the sidecar can read; else one sentence: cause, then remedy. */
export function blindReason(logsDir: string, tailer: Pick<TailerStats, "dirError" | "logNames" | "filesOpen">): string | undefined {
  const followed = tailer.filesOpen.log + tailer.filesOpen.diagnostics;
  switch (tailer.dirError) {
    case undefined: break;
    case "ENOENT":
      return `the log directory ${logsDir} does not exist (ENOENT): start OpenClaw once, or point --logs (OPENCLAW_OTEL_LOGS) at the directory holding openclaw-YYYY-MM-DD.log`;
    case "ENOTDIR":
      return `${logsDir} is not a directory (ENOTDIR): point --logs (OPENCLAW_OTEL_LOGS) at the directory holding openclaw-YYYY-MM-DD.log`;
    case "EACCES": case "EPERM":
      return `cannot read the log directory ${logsDir} (${tailer.dirError} as ${whoAmI()}; OpenClaw creates it with mode 0700): ${GRANT(logsDir)}`;
    default:
      return `cannot read the log directory ${logsDir} (${tailer.dirError})`;
  }
  if (tailer.logNames > 0 && followed === 0) {
    return `${tailer.logNames} OpenClaw log file(s) in ${logsDir}, none readable as ${whoAmI()}: ${GRANT(logsDir)}`;
  }
  return undefined;
}
