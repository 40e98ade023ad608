/**
 * The secret shapes redact.ts removes from free text, as data. Every rule keeps what a reader
 * needs to know which kind of credential was there (a vendor prefix, a key name, a URL's host)
 * and replaces the secret itself with `***`; every rule leaves `***` alone, so redaction is
 * idempotent. test/events/redact-shapes.test.ts holds one planted example per shape.
 *
 * Sources: OpenClaw's own redaction defaults (2026.4.12), the vendor prefixes of its 9.6
 * list, and the common shapes of gitleaks' default rules for the services OpenClaw talks to.
 */
export type Rule = readonly [RegExp, string];

/** Names whose value is a secret, in `name=value`, `name: value` and `"name":"value"`. */
const KEY_WORDS = [
  "api[_-]?key", "apikey", "access[_-]?token", "refresh[_-]?token", "id[_-]?token", "auth[_-]?token",
  "session[_-]?token", "token", "secret", "password", "passwd", "pwd", "access[_-]?key", "secret[_-]?key",
  "private[_-]?key", "account[_-]?key", "client[_-]?secret", "credentials?", "sig", "signature",
].join("|");

/** A value that is not already redacted (`(?!\*\*\*)`), up to a delimiter. */
const VALUE = `(?!\\*\\*\\*)(["']?)[^\\s"',;&]+\\3`;

export const RULES: readonly Rule[] = [
  // Private key blocks, PEM and PGP, with real or escaped newlines; a block cut short (no END
  // line, e.g. a truncated error) loses everything after BEGIN that looks like key material.
  [/-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\:.,-]*)/g,
    "-----BEGIN $1PRIVATE KEY$2-----***-----END $1PRIVATE KEY$2-----"],
  // Credentials in URLs: scheme://user:password@host, scheme://:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@"'\\]*):(?!\*\*\*@)[^\s@/"'\\]+@/gi, "$1$2:***@"],
  // user:password@host without a scheme (connection targets in error texts).
  [/(?<![\w/.:-])([A-Za-z][\w.-]{0,63}):(?!\*\*\*@)[^\s:@/"'\\]{1,128}@(?=[A-Za-z0-9][A-Za-z0-9.-]*)/g, "$1:***@"],
  // Webhook URLs whose path is the secret: Slack, Discord.
  [/\b(hooks\.slack\.com\/(?:services|workflows|triggers)\/)(?!\*\*\*)[A-Za-z0-9/_-]+/gi, "$1***"],
  [/\b((?:discord(?:app)?\.com)\/api\/(?:v\d+\/)?webhooks\/\d+\/)(?!\*\*\*)[A-Za-z0-9._-]+/gi, "$1***"],
  // Cookies: whole header values, and well-known session cookies anywhere.
  [/\b((?:Set-)?Cookie)(\s*:)(?!\s*\*\*\*)\s*[^\r\n"\\]+/gi, "$1$2 ***"],
  [/\b(connect\.sid|sessionid|session_id|session|sid|PHPSESSID|JSESSIONID|ASP\.NET_SessionId|laravel_session|_session|csrftoken|remember_token|__(?:Secure|Host)-[A-Za-z0-9_-]+)=(?!\*\*\*)[^;\s"',&\\]+/g, "$1=***"],
  // JSON fields, also inside an escaped JSON string: "apiKey":"…", \"api_key\":\"…\" (the
  // escaping is kept so the surrounding text still reads as it did).
  [new RegExp(`(\\\\?)("[A-Za-z0-9_-]*(?:${KEY_WORDS})\\1")(\\s*:\\s*)\\1"(?!\\*\\*\\*)(?:[^"\\\\]|\\\\[^"])*\\1"`, "gi"), '$1$2$3$1"***$1"'],
  // The same with single quotes (Python reprs, and texts whose double quotes were swapped).
  [new RegExp(`(\\\\?)('[A-Za-z0-9_-]*(?:${KEY_WORDS})\\1')(\\s*:\\s*)\\1'(?!\\*\\*\\*)(?:[^'\\\\]|\\\\[^'])*\\1'`, "gi"), "$1$2$3$1'***$1'"],
  // CLI flags: --api-key v, --token=v
  [/(--(?:api-key|hook-token|token|secret|password|passwd|client-secret))(\s+|=)(?!\*\*\*)\S+/gi, "$1$2***"],
  // Authorization headers (any scheme) and bare bearer/basic tokens.
  [/\b((?:Proxy-)?Authorization)(\s*[:=]\s*)(Bearer|Basic|Token|Bot|Digest|SSWS)\s+(?!\*\*\*)[^\s"',;\\]+/gi, "$1$2$3 ***"],
  [/\b((?:Proxy-)?Authorization)(\s*[:=]\s*)(?!\*\*\*|(?:Bearer|Basic|Token|Bot|Digest|SSWS)\s)[^\s"',;\\]+/gi, "$1$2***"],
  [/\b(Bearer|Basic)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]{8,}/g, "$1 ***"],
  // key=value and key: value assignments (OPENAI_API_KEY=…, apiKey=…, password: …,
  // aws_secret_access_key = …, AccountKey=…;, ?access_token=…&, sig=… in SAS URLs).
  [new RegExp(`\\b([A-Za-z0-9_]*(?:${KEY_WORDS}))(\\s*[=:]\\s*)${VALUE}`, "gi"), "$1$2$3***$3"],
  // Upper-case env names ending in KEY etc. (SOME_PROVIDER_KEY=…), as OpenClaw's ENV pattern,
  // and in _AUTH (TWILIO_AUTH=…, BASIC_AUTH=…): only the env form, so `oauth=` or `author=`
  // in ordinary text keep their values.
  [/\b([A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD)|(?:[A-Z0-9_]*_)?AUTH)(\s*=\s*)(?!\*\*\*)(["']?)[^\s"',;&]+\3/g, "$1$2$3***$3"],
  // An AWS secret access key written after its access key id ("creds AKIA… then <secret>"):
  // the first 40-character base64 word of both cases within 80 characters of the id, digits
  // or not (a 40-digit hex hash of one case beside it stays).
  [/\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b[^\n]{0,80}?)(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, "$1***"],
  // Vendor token shapes.
  [/\b(sk-(?:ant-|proj-|live-|test-|or-v1-|svcacct-)?)[A-Za-z0-9_-]{8,}/g, "$1***"],
  [/\b((?:sk|rk|pk)_(?:live|test)_)[A-Za-z0-9]{8,}/g, "$1***"],
  [/\b(whsec_)[A-Za-z0-9+/=]{16,}/g, "$1***"],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, "AIza***"],
  [/\bya29\.[A-Za-z0-9_-]{16,}/g, "ya29.***"],
  [/(?<![\w/])1\/\/0[A-Za-z0-9_-]{20,}/g, "1//0***"],
  [/\bGOCSPX-[A-Za-z0-9_-]{16,}/g, "GOCSPX-***"],
  [/\b(gh[pousr]_)[A-Za-z0-9]{20,}/g, "$1***"],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, "github_pat_***"],
  [/\b(xox[abeprs]-|xapp-)[A-Za-z0-9-]{10,}/g, "$1***"],
  [/\b(gsk_|pplx-|npm_|hf_|xai-|glpat-|lin_api_|ntn_|secret_|shpat_|shpss_|shpca_|shppa_|dapi|pypi-|hvs\.|ATATT3|EAA[A-Za-z]{0,4})[A-Za-z0-9_=-]{16,}/g, "$1***"],
  [/\b(do[opr]_v1_)[a-f0-9]{16,}/g, "$1***"],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, "SG.***"],
  [/\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16})\b/g, "AKIA***"],
  [/\bkey-[0-9a-f]{32}\b/g, "key-***"],
  [/\bSK[0-9a-f]{32}\b/g, "SK***"],
  [/\b[0-9a-f]{32}-us\d{1,2}\b/g, "***-us"],
  [/\bAGE-SECRET-KEY-1[0-9A-Z]{50,}/g, "AGE-SECRET-KEY-1***"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "eyJ***"],
  // Discord bot tokens: base64 user id, timestamp, HMAC.
  [/\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b/g, "***"],
  // Telegram bot tokens: bot<digits>:<secret> (in API URLs) and bare <digits>:<secret>.
  [/\bbot(\d{6,}):[A-Za-z0-9_-]{20,}/g, "bot$1:***"],
  [/\b(\d{6,}):[A-Za-z0-9_-]{30,}/g, "$1:***"],
  // A bare 40-character base64 word with upper, lower and digits, or (a key that drew no
  // digit, 1 in 900) at least 8 upper- and 8 lower-case letters: an AWS secret access key, or
  // as random as one. Hex hashes and trace ids (one case), ids and model names with
  // separators, and CamelCase words or paths (few capitals) do not match.
  [/(?<![A-Za-z0-9/+=])(?:(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])|(?=(?:[a-z0-9/+]*[A-Z]){8})(?=(?:[A-Z0-9/+]*[a-z]){8}))[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, "***"],
];

/**
 * Cheap pre-check: a text with none of these cannot match a rule above and skips the chain.
 * The last alternative is any long word (bare 40-character keys, Discord tokens).
 */
export const HINT = /key|token|secret|pass|pwd|auth|bearer|basic|bot|cookie|sid|session|sig|credential|private|:\/\/|@|hooks\.slack|webhooks|sk-|[srp]k_|whsec|aiza|ya29|1\/\/0|gocspx|gh[pousr]_|github_pat|xox|xapp|gsk_|pplx|npm_|hf_|xai-|glpat|lin_api|ntn_|shp|dapi|pypi-|hvs\.|atatt|eaa|do[opr]_v1|sg\.|akia|asia|agpa|aida|aroa|anpa|eyj|\d{6,}:|[A-Za-z0-9/+_-]{20,}/i;
