// GENERATED from src/redact/secret-rules.ts by test/openclaw/plugin-rules.test.ts
// (UPDATE_PLUGIN_RULES=1): the sidecar's secret shapes, so the plugin redacts free text
// exactly as the sidecar does without depending on it. Do not edit by hand.

/** @type {ReadonlyArray<readonly [RegExp, string]>} */
export const RULES = [
  [new RegExp("-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----(?:[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\\s\\\\:.,-]*)", "g"), "-----BEGIN $1PRIVATE KEY$2-----***-----END $1PRIVATE KEY$2-----"],
  [new RegExp("\\b([a-z][a-z0-9+.-]*:\\/\\/)([^\\s:/@\"'\\\\]*):(?!\\*\\*\\*@)[^\\s@/\"'\\\\]+@", "gi"), "$1$2:***@"],
  [new RegExp("(?<![\\w/.:-])([A-Za-z][\\w.-]{0,63}):(?!\\*\\*\\*@)[^\\s:@/\"'\\\\]{1,128}@(?=[A-Za-z0-9][A-Za-z0-9.-]*)", "g"), "$1:***@"],
  [new RegExp("\\b(hooks\\.slack\\.com\\/(?:services|workflows|triggers)\\/)(?!\\*\\*\\*)[A-Za-z0-9/_-]+", "gi"), "$1***"],
  [new RegExp("\\b((?:discord(?:app)?\\.com)\\/api\\/(?:v\\d+\\/)?webhooks\\/\\d+\\/)(?!\\*\\*\\*)[A-Za-z0-9._-]+", "gi"), "$1***"],
  [new RegExp("\\b((?:Set-)?Cookie)(\\s*:)(?!\\s*\\*\\*\\*)\\s*[^\\r\\n\"\\\\]+", "gi"), "$1$2 ***"],
  [new RegExp("\\b(connect\\.sid|sessionid|session_id|session|sid|PHPSESSID|JSESSIONID|ASP\\.NET_SessionId|laravel_session|_session|csrftoken|remember_token|__(?:Secure|Host)-[A-Za-z0-9_-]+)=(?!\\*\\*\\*)[^;\\s\"',&\\\\]+", "g"), "$1=***"],
  [new RegExp("(\\\\?)(\"[A-Za-z0-9_-]*(?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|session[_-]?token|token|secret|password|passwd|pwd|access[_-]?key|secret[_-]?key|private[_-]?key|account[_-]?key|client[_-]?secret|credentials?|sig|signature)\\1\")(\\s*:\\s*)\\1\"(?!\\*\\*\\*)(?:[^\"\\\\]|\\\\[^\"])*\\1\"", "gi"), "$1$2$3$1\"***$1\""],
  [new RegExp("(\\\\?)('[A-Za-z0-9_-]*(?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|session[_-]?token|token|secret|password|passwd|pwd|access[_-]?key|secret[_-]?key|private[_-]?key|account[_-]?key|client[_-]?secret|credentials?|sig|signature)\\1')(\\s*:\\s*)\\1'(?!\\*\\*\\*)(?:[^'\\\\]|\\\\[^'])*\\1'", "gi"), "$1$2$3$1'***$1'"],
  [new RegExp("(--(?:api-key|hook-token|token|secret|password|passwd|client-secret))(\\s+|=)(?!\\*\\*\\*)\\S+", "gi"), "$1$2***"],
  [new RegExp("\\b((?:Proxy-)?Authorization)(\\s*[:=]\\s*)(Bearer|Basic|Token|Bot|Digest|SSWS)\\s+(?!\\*\\*\\*)[^\\s\"',;\\\\]+", "gi"), "$1$2$3 ***"],
  [new RegExp("\\b((?:Proxy-)?Authorization)(\\s*[:=]\\s*)(?!\\*\\*\\*|(?:Bearer|Basic|Token|Bot|Digest|SSWS)\\s)[^\\s\"',;\\\\]+", "gi"), "$1$2***"],
  [new RegExp("\\b(Bearer|Basic)\\s+(?!\\*\\*\\*)[A-Za-z0-9._~+/=-]{8,}", "g"), "$1 ***"],
  [new RegExp("\\b([A-Za-z0-9_]*(?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|session[_-]?token|token|secret|password|passwd|pwd|access[_-]?key|secret[_-]?key|private[_-]?key|account[_-]?key|client[_-]?secret|credentials?|sig|signature))(\\s*[=:]\\s*)(?!\\*\\*\\*)([\"']?)[^\\s\"',;&]+\\3", "gi"), "$1$2$3***$3"],
  [new RegExp("\\b([A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD)|(?:[A-Z0-9_]*_)?AUTH)(\\s*=\\s*)(?!\\*\\*\\*)([\"']?)[^\\s\"',;&]+\\3", "g"), "$1$2$3***$3"],
  [new RegExp("\\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\\b[^\\n]{0,80}?)(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", "g"), "$1***"],
  [new RegExp("\\b(sk-(?:ant-|proj-|live-|test-|or-v1-|svcacct-)?)[A-Za-z0-9_-]{8,}", "g"), "$1***"],
  [new RegExp("\\b((?:sk|rk|pk)_(?:live|test)_)[A-Za-z0-9]{8,}", "g"), "$1***"],
  [new RegExp("\\b(whsec_)[A-Za-z0-9+/=]{16,}", "g"), "$1***"],
  [new RegExp("\\bAIza[0-9A-Za-z_-]{20,}", "g"), "AIza***"],
  [new RegExp("\\bya29\\.[A-Za-z0-9_-]{16,}", "g"), "ya29.***"],
  [new RegExp("(?<![\\w/])1\\/\\/0[A-Za-z0-9_-]{20,}", "g"), "1//0***"],
  [new RegExp("\\bGOCSPX-[A-Za-z0-9_-]{16,}", "g"), "GOCSPX-***"],
  [new RegExp("\\b(gh[pousr]_)[A-Za-z0-9]{20,}", "g"), "$1***"],
  [new RegExp("\\bgithub_pat_[A-Za-z0-9_]{20,}", "g"), "github_pat_***"],
  [new RegExp("\\b(xox[abeprs]-|xapp-)[A-Za-z0-9-]{10,}", "g"), "$1***"],
  [new RegExp("\\b(gsk_|pplx-|npm_|hf_|xai-|glpat-|lin_api_|ntn_|secret_|shpat_|shpss_|shpca_|shppa_|dapi|pypi-|hvs\\.|ATATT3|EAA[A-Za-z]{0,4})[A-Za-z0-9_=-]{16,}", "g"), "$1***"],
  [new RegExp("\\b(do[opr]_v1_)[a-f0-9]{16,}", "g"), "$1***"],
  [new RegExp("\\bSG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}", "g"), "SG.***"],
  [new RegExp("\\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16})\\b", "g"), "AKIA***"],
  [new RegExp("\\bkey-[0-9a-f]{32}\\b", "g"), "key-***"],
  [new RegExp("\\bSK[0-9a-f]{32}\\b", "g"), "SK***"],
  [new RegExp("\\b[0-9a-f]{32}-us\\d{1,2}\\b", "g"), "***-us"],
  [new RegExp("\\bAGE-SECRET-KEY-1[0-9A-Z]{50,}", "g"), "AGE-SECRET-KEY-1***"],
  [new RegExp("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}", "g"), "eyJ***"],
  [new RegExp("\\b[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}\\b", "g"), "***"],
  [new RegExp("\\bbot(\\d{6,}):[A-Za-z0-9_-]{20,}", "g"), "bot$1:***"],
  [new RegExp("\\b(\\d{6,}):[A-Za-z0-9_-]{30,}", "g"), "$1:***"],
  [new RegExp("(?<![A-Za-z0-9/+=])(?:(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])|(?=(?:[a-z0-9/+]*[A-Z]){8})(?=(?:[A-Z0-9/+]*[a-z]){8}))[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", "g"), "***"],
];

export const HINT = new RegExp("key|token|secret|pass|pwd|auth|bearer|basic|bot|cookie|sid|session|sig|credential|private|:\\/\\/|@|hooks\\.slack|webhooks|sk-|[srp]k_|whsec|aiza|ya29|1\\/\\/0|gocspx|gh[pousr]_|github_pat|xox|xapp|gsk_|pplx|npm_|hf_|xai-|glpat|lin_api|ntn_|shp|dapi|pypi-|hvs\\.|atatt|eaa|do[opr]_v1|sg\\.|akia|asia|agpa|aida|aroa|anpa|eyj|\\d{6,}:|[A-Za-z0-9/+_-]{20,}", "i");

/** @param {string} text */
export function redactSecrets(text) {
  if (text.length < 8 || !HINT.test(text)) return text;
  let out = text;
  for (const [r, replacement] of RULES) out = out.replace(r, replacement);
  return out;
}
