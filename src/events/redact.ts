/**
 * Secret redaction for the free text an event carries (error, message, reason texts).
 *
 * Why here: OpenClaw up to 2026.4.24 writes its file log without redaction (openclaw-formats
 * §1.5: `apiKey=sk-…` lands on disk verbatim), and error texts travel into span attributes.
 * The patterns follow OpenClaw's own defaults of 2026.4.12 plus a few common vendor prefixes of
 * 9.6. A redacted value becomes `***`, keeping a vendor prefix (`sk-***`) so a reader still sees
 * which kind of credential was there. Identifiers (session, run ids) are not secrets and stay.
 */

type Rule = readonly [RegExp, string];

const KEY_WORDS = "api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|token|secret|password|passwd|pwd";

const RULES: readonly Rule[] = [
  // PEM private keys, whole block (also when newlines arrive escaped as "\n").
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g, "-----BEGIN $1PRIVATE KEY-----***-----END $1PRIVATE KEY-----"],
  // JSON fields: "apiKey":"…", "token": "…"
  [new RegExp(`("[A-Za-z0-9_]*(?:${KEY_WORDS})")(\\s*:\\s*)"[^"]*"`, "gi"), '$1$2"***"'],
  // CLI flags: --api-key v, --token=v
  [/(--(?:api-key|hook-token|token|secret|password|passwd))(\s+|=)(?!\*\*\*)\S+/gi, "$1$2***"],
  // Authorization headers and bare bearer tokens.
  [/\b(Bearer|Basic)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]{8,}/g, "$1 ***"],
  // ENV / key=value / key: value assignments (OPENAI_API_KEY=…, apiKey=…, password: …).
  [new RegExp(`\\b([A-Za-z0-9_]*(?:${KEY_WORDS}))(\\s*[=:]\\s*)(?!\\*\\*\\*)(["']?)[^\\s"',;&]+\\3`, "gi"), "$1$2$3***$3"],
  // Upper-case env names ending in KEY (SOME_PROVIDER_KEY=…), as OpenClaw's ENV pattern.
  [/\b([A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD))(\s*=\s*)(?!\*\*\*)(["']?)[^\s"',;&]+\3/g, "$1$2$3***$3"],
  // Vendor token prefixes.
  [/\b(sk-(?:ant-|proj-|live-|test-)?)[A-Za-z0-9_-]{8,}/g, "$1***"],
  [/\b(sk_(?:live|test)_)[A-Za-z0-9]{8,}/g, "$1***"],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, "AIza***"],
  [/\b(gh[pousr]_)[A-Za-z0-9]{20,}/g, "$1***"],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, "github_pat_***"],
  [/\b(xox[abeprs]-|xapp-)[A-Za-z0-9-]{10,}/g, "$1***"],
  [/\b(gsk_|pplx-|npm_|hf_|xai-|glpat-)[A-Za-z0-9_-]{16,}/g, "$1***"],
  [/\bAKIA[0-9A-Z]{16}\b/g, "AKIA***"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "eyJ***"],
  // Telegram bot tokens: bot<digits>:<secret> (in API URLs) and bare <digits>:<secret>.
  [/\bbot(\d{6,}):[A-Za-z0-9_-]{20,}/g, "bot$1:***"],
  [/\b(\d{6,}):[A-Za-z0-9_-]{30,}/g, "$1:***"],
];

/**
 * Cheap pre-check: every rule above needs one of these substrings (case-insensitive) or a
 * run of digits followed by ':'. Most error texts have none, so they skip the regex chain.
 */
const HINT = /key|token|secret|pass|pwd|bearer|basic|sk-|sk_|aiza|gh[pousr]_|github_pat|xox|xapp|gsk_|pplx|npm_|hf_|xai-|glpat|akia|eyj|\d{6,}:/i;

export function redactSecrets(text: string): string {
  if (text.length === 0 || !HINT.test(text)) return text;
  let out = text;
  for (const [re, replacement] of RULES) out = out.replace(re, replacement);
  return out;
}

/** Redacts when a value is present; keeps undefined as is. */
export function redactOpt(text: string | undefined): string | undefined {
  return text === undefined ? undefined : redactSecrets(text);
}
