/**
 * The one redaction pass for every free text that can leave the process: event texts (error,
 * message, reason) as they are parsed, span attributes and status messages, the status page,
 * and the sidecar's own log lines (log.ts). The shapes are in secret-rules.ts.
 *
 * Why here: OpenClaw up to 2026.4.24 writes its file log without redaction (docs/openclaw-formats.md
 * §1.5: `apiKey=sk-…` lands on disk verbatim), and error texts travel into span attributes.
 * A redacted value becomes `***`, keeping a vendor prefix (`sk-***`) or key name so a reader
 * still sees which kind of credential was there. Identifiers (session, run ids) are not
 * secrets and stay in free text; as keys of the checkpoint they go through opaqueKey().
 */
// node:crypto is taken on first use (process.getBuiltinModule), not at start-up: an idle
// sidecar then does not carry it (+3.5 MB RSS; bench/README.md, issue 11).
const createHash = (algorithm: string) => process.getBuiltinModule("node:crypto").createHash(algorithm);
import { HINT, RULES } from "./secret-rules.ts";

export function redactSecrets(text: string): string {
  if (text.length < 8 || !HINT.test(text)) return text;
  let out = text;
  for (const [re, replacement] of RULES) out = out.replace(re, replacement);
  return out;
}

/** Redacts when a value is present; keeps undefined as is. */
export function redactOpt(text: string | undefined): string | undefined {
  return text === undefined ? undefined : redactSecrets(text);
}

/**
 * An identifier kept only as a key (profile ids, session keys in the checkpoint): as written
 * when harmless, else a stable digest, so two such keys stay apart without the secret being
 * stored. Harmless means the redactor leaves it alone and it does not look like a credential.
 */
export function opaqueKey(id: string): string {
  if (redactSecrets(id) === id && !looksLikeSecret(id)) return id;
  return `sha256:${createHash("sha256").update(id).digest("hex").slice(0, 24)}`;
}

/**
 * Prefixes that mark a credential even when it is too short for a vendor rule (a label value
 * `sk-abc` is no provider name). Case-sensitive where the vendor's prefix is.
 */
const SECRET_PREFIX = /^(?:sk-|sk_|rk_|pk_live|whsec_|AIza|ya29\.|1\/\/0|GOCSPX-|gh[pousr]_|github_pat_|glpat-|xox[abeprs]-|xapp-|gsk_|pplx-|npm_|hf_|xai-|lin_api_|ntn_|shp(?:at|ss|ca|pa)_|dapi[0-9a-f]|pypi-|hvs\.|ATATT|do[opr]_v1_|SG\.|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{4}|eyJ|AGE-SECRET|Bearer|Basic )/;

/**
 * Whether a short value (a label candidate) looks like a credential rather than a name: a
 * known key prefix, an `@` or `user:password@`, or a long random-looking word (16+ characters
 * mixing letters and digits, or 24+ mixing upper and lower case). Model names split into
 * short words (`claude-sonnet-4-5`, `kimi-k2-0905-preview`, `gpt-5.1-mini`), dates are digits.
 */
export function looksLikeSecret(value: string): boolean {
  if (SECRET_PREFIX.test(value) || value.includes("@")) return true;
  for (const word of value.split(/[._:/-]+/)) {
    if (word.length < 16) continue;
    const digits = /[0-9]/.test(word), letters = /[A-Za-z]/.test(word);
    if (digits && letters) return true;
    if (word.length >= 24 && /[a-z]/.test(word) && /[A-Z]/.test(word)) return true;
  }
  return false;
}
