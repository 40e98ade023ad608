/**
 * An export endpoint as it may be shown (failure log, status page, doctor): endpoint URLs may
 * carry user:password or a token in the query, and none of it leaves the process.
 */
import { redactSecrets } from "../../redact/redact.ts";

export function safeUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return redactSecrets(u.toString());
  } catch {
    return null;
  }
}
