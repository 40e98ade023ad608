/**
 * Loaded into a measured child with NODE_OPTIONS=--import=<this file>. At exit it appends the
 * process's own peak RSS (VmHWM from /proc/self/status) and CPU time to the file named by
 * RELIABILITY_MEASURE_OUT. A SIGKILLed process writes nothing, which is the point: the suite
 * measures the process that ends a scenario normally.
 */
import { appendFileSync, readFileSync } from "node:fs";

const out = process.env.RELIABILITY_MEASURE_OUT;
if (out) {
  process.on("exit", () => {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    const cpu = process.cpuUsage();
    appendFileSync(out, `${JSON.stringify({ pid: process.pid, rssKiB: Number(hwm ?? 0), cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  });
}
