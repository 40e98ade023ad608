/** The failure log's rate limit and wording, on a fake clock (no timers). */
import { describe, expect, it } from "vitest";
import { failureReason, FailureLog, FAILURE_LOG_WINDOW_MS } from "../../src/telemetry/export/export-failures.ts";

describe("FailureLog", () => {
  it("says the first failure at once, counts the rest of the minute, and says when it works again", () => {
    let now = 1_000_000;
    const warn: string[] = [];
    const info: string[] = [];
    const log = new FailureLog("traces", "https://ada:pw@otlp.example:4318/v1/traces?token=abc", 10_000, (m) => warn.push(m), (m) => info.push(m), () => now);
    log.attempt({ httpStatus: 503, cause: "retryable answer" });
    for (let i = 0; i < 5; i++) { now += 1_000; log.attempt({ cause: "connect ECONNREFUSED" }); }
    expect(warn).toHaveLength(1);
    expect(warn[0]).toBe("OTLP traces export to https://otlp.example:4318/v1/traces?token=*** failed: HTTP 503: retryable answer; the SDK retries within the 10000 ms timeout, next message in a minute at most");
    now += FAILURE_LOG_WINDOW_MS;
    log.attempt({ cause: "connect ECONNREFUSED" });
    expect(warn).toHaveLength(2);
    expect(warn[1]).toContain("(5 more failed attempts in the last minute)");
    expect(warn.join("")).not.toMatch(/:pw@|abc/);
    log.succeeded();
    log.succeeded();
    expect(info).toEqual(["OTLP traces export to https://otlp.example:4318/v1/traces?token=*** works again after 7 failed attempt(s)"]);
    // A new outage is said at once again.
    log.attempt({ cause: "x" });
    expect(warn).toHaveLength(3);
  });
});

describe("failureReason", () => {
  const err = (message: string, props: Record<string, unknown> = {}) => Object.assign(new Error(message), props);
  it("names the HTTP or gRPC status, or the kind of network failure, as a bounded word", () => {
    // The SDK's OTLPExporterError carries the HTTP status as a numeric `code`; gRPC errors their status.
    expect(failureReason(err("Unauthorized", { code: 401 }))).toBe("http_401");
    expect(failureReason(err("16 UNAUTHENTICATED: missing token", { code: 16 }))).toBe("grpc_16");
    expect(failureReason(err("connect ECONNREFUSED 127.0.0.1:4318", { code: "ECONNREFUSED" }))).toBe("refused");
    expect(failureReason(err("Request timed out"))).toBe("timeout");
    expect(failureReason(err("fetch failed", { cause: err("certificate has expired", { code: "CERT_HAS_EXPIRED" }) }))).toBe("tls");
    expect(failureReason(err("getaddrinfo ENOTFOUND collector", { code: "ENOTFOUND" }))).toBe("network");
    // Anything else, and anything a hostile error could carry, stays one of the words.
    expect(failureReason(err("x".repeat(500), { code: 99_999 }))).toBe("other");
    expect(failureReason("not an error")).toBe("other");
    expect(failureReason(undefined)).toBe("other");
  });
});
