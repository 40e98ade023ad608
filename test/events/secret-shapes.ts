/**
 * Secret shapes as a pre-2026.4.25 OpenClaw log would carry them in clear, for the redaction
 * tests and the reliability scenario (test/reliability/secrets.ts). All values are fake and
 * generated; `secret` is the part that must never leave the process, `text` the secret in the
 * context it appears in, `label` the bare value a label field would carry.
 */

/** Deterministic pseudo-random text from an alphabet (a fixed seed per shape). */
function gen(seed: number, n: number, alphabet: string): string {
  let x = seed * 2654435761 >>> 0;
  let out = "";
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += alphabet[(x >>> 8) % alphabet.length];
  }
  return out;
}
const AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ANU = AN + "_-";
const HEX = "0123456789abcdef";
const UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const B64 = AN + "+/";
/** Mixed case and digits guaranteed (the bare-key rule wants all three). */
const mixed = (seed: number, n: number, alphabet = AN) => `Aa9${gen(seed, n - 3, alphabet)}`;

export interface SecretShape { name: string; secret: string; text: string; label: string }

function shape(name: string, secret: string, text: string = secret, label: string = secret): SecretShape {
  return { name, secret, text, label };
}

const pw = (seed: number) => `Pw${gen(seed, 14, AN)}`;
const awsSecret = mixed(101, 40, B64);
/** A secret access key that drew no digit (1 in 900 do): letters and `/` only. */
const awsNoDigit = `wJ${gen(102, 38, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/")}`;

export const SHAPES: readonly SecretShape[] = [
  shape("https user:password@", pw(1), `fetch https://admin:${pw(1)}@api.example.com/v1 failed`, `admin:${pw(1)}@api.example.com`),
  shape("postgres:// password", pw(2), `connect postgres://app:${pw(2)}@db.internal:5432/app refused`),
  shape("postgresql:// password", pw(3), `postgresql://app:${pw(3)}@10.0.0.5/app`),
  shape("mysql:// password", pw(4), `mysql://root:${pw(4)}@127.0.0.1:3306/x timeout`),
  shape("mongodb+srv:// password", pw(5), `mongodb+srv://u:${pw(5)}@cluster0.mongodb.net/db`),
  shape("redis://:password@", pw(6), `redis://:${pw(6)}@cache:6379/0 NOAUTH`),
  shape("amqp:// password", pw(7), `amqp://guest:${pw(7)}@mq:5672`),
  shape("user:password@host without scheme", pw(8), `dial admin:${pw(8)}@db.example.com:5432 failed`),
  shape("RSA private key", gen(9, 64, B64), `-----BEGIN RSA PRIVATE KEY-----\n${gen(9, 64, B64)}\n-----END RSA PRIVATE KEY-----`),
  shape("OpenSSH private key, escaped newlines", gen(10, 64, B64), `key: -----BEGIN OPENSSH PRIVATE KEY-----\\n${gen(10, 64, B64)}\\n-----END OPENSSH PRIVATE KEY-----`),
  shape("PGP private key block", gen(11, 64, B64), `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${gen(11, 64, B64)}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----`),
  shape("truncated PEM key", gen(12, 64, B64), `bad key -----BEGIN PRIVATE KEY-----\n${gen(12, 64, B64)}`),
  shape("AWS access key id", `AKIA${gen(13, 16, UP)}`, `InvalidClientTokenId AKIA${gen(13, 16, UP)}`),
  shape("AWS temporary key id", `ASIA${gen(14, 16, UP)}`),
  shape("AWS secret key, bare", awsSecret, `signature mismatch for ${awsSecret} in request`),
  shape("AWS secret key after its key id, no digit", awsNoDigit, `creds AKIA${gen(70, 16, UP)} then ${awsNoDigit}`),
  shape("env NAME_AUTH=", gen(69, 32, HEX), `TWILIO_AUTH=${gen(69, 32, HEX)}`),
  shape("aws_secret_access_key = ...", mixed(15, 40, B64), `aws_secret_access_key = ${mixed(15, 40, B64)}`),
  shape("Azure AccountKey=", `${mixed(16, 86, B64)}==`, `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${mixed(16, 86, B64)}==;EndpointSuffix=core.windows.net`),
  shape("Azure SharedAccessKey=", `${mixed(17, 43, B64)}=`, `Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey=${mixed(17, 43, B64)}=`),
  shape("Azure SAS sig=", mixed(18, 40, AN), `https://x.blob.core.windows.net/c?sv=2022&sig=${mixed(18, 40, AN)}&se=2026`),
  shape("Slack webhook URL", `T${gen(19, 8, UP)}/B${gen(19, 10, UP)}/${gen(19, 24, AN)}`, `POST https://hooks.slack.com/services/T${gen(19, 8, UP)}/B${gen(19, 10, UP)}/${gen(19, 24, AN)} 404`),
  shape("Slack bot token", `xoxb-${gen(20, 12, "0123456789")}-${gen(20, 24, AN)}`),
  shape("Slack app token", `xapp-1-${gen(21, 30, AN)}`),
  shape("Discord webhook URL", gen(22, 68, ANU), `https://discord.com/api/webhooks/123456789012345678/${gen(22, 68, ANU)} 401`),
  shape("Discord bot token", `MT${gen(23, 24, AN)}.${gen(23, 6, ANU)}.${gen(23, 38, ANU)}`, `login failed token MT${gen(23, 24, AN)}.${gen(23, 6, ANU)}.${gen(23, 38, ANU)}`),
  shape("Authorization: Bot", gen(24, 30, AN), `Authorization: Bot ${gen(24, 30, AN)}`),
  shape("Google API key", `AIza${gen(25, 35, ANU)}`),
  shape("Google OAuth access token ya29.", `ya29.${gen(26, 60, ANU)}`),
  shape("Google OAuth refresh token", `1//0${gen(27, 40, ANU)}`, `refresh 1//0${gen(27, 40, ANU)} rejected`),
  shape("Google client secret", `GOCSPX-${gen(28, 28, ANU)}`),
  shape("OpenAI project key", `sk-proj-${gen(29, 40, ANU)}`),
  shape("Anthropic key", `sk-ant-api03-${gen(30, 60, ANU)}`),
  shape("OpenRouter key", `sk-or-v1-${gen(31, 64, HEX)}`),
  shape("Stripe secret key", `sk_live_${gen(32, 24, AN)}`),
  shape("Stripe restricted key rk_live_", `rk_live_${gen(33, 24, AN)}`),
  shape("Stripe webhook secret", `whsec_${gen(34, 32, AN)}`),
  shape("SendGrid SG.", `SG.${gen(35, 22, ANU)}.${gen(35, 43, ANU)}`),
  shape("DigitalOcean dop_v1_", `dop_v1_${gen(36, 64, HEX)}`),
  shape("Shopify shpat_", `shpat_${gen(37, 32, HEX)}`),
  shape("GitHub classic token", `ghp_${gen(38, 36, AN)}`),
  shape("GitHub fine-grained token", `github_pat_${gen(39, 22, AN)}_${gen(39, 59, AN)}`),
  shape("GitLab token", `glpat-${gen(40, 20, ANU)}`),
  shape("npm token", `npm_${gen(41, 36, AN)}`),
  shape("Hugging Face token", `hf_${gen(42, 34, AN)}`),
  shape("Groq key", `gsk_${gen(43, 52, AN)}`),
  shape("xAI key", `xai-${gen(44, 80, AN)}`),
  shape("Perplexity key", `pplx-${gen(45, 48, AN)}`),
  shape("Linear key", `lin_api_${gen(46, 40, AN)}`),
  shape("Notion token", `ntn_${gen(47, 46, AN)}`),
  shape("Databricks token", `dapi${gen(48, 32, HEX)}`),
  shape("HashiCorp Vault token", `hvs.${gen(49, 90, ANU)}`),
  shape("Mailgun key", `key-${gen(50, 32, HEX)}`),
  shape("Twilio API key", `SK${gen(51, 32, HEX)}`),
  shape("JWT", `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOi${gen(52, 20, AN)}.${gen(52, 43, ANU)}`),
  shape("Telegram bot token in URL", `${gen(53, 10, "0123456789")}:AA${gen(53, 33, ANU)}`, `https://api.telegram.org/bot${gen(53, 10, "0123456789")}:AA${gen(53, 33, ANU)}/getUpdates`, `${gen(53, 10, "0123456789")}:AA${gen(53, 33, ANU)}`),
  shape("Bearer header", gen(54, 40, AN), `Authorization: Bearer ${gen(54, 40, AN)}`),
  shape("Basic header", `${gen(55, 28, AN)}=`, `Authorization: Basic ${gen(55, 28, AN)}=`),
  shape("x-api-key header", gen(56, 32, AN), `x-api-key: ${gen(56, 32, AN)}`),
  shape("cookie connect.sid=", `s%3A${gen(57, 40, AN)}`, `Cookie: connect.sid=s%3A${gen(57, 40, AN)}; theme=dark`),
  shape("Set-Cookie session", gen(58, 32, AN), `set-cookie: sessionid=${gen(58, 32, AN)}; Path=/; HttpOnly`),
  shape("bare connect.sid= in text", `s%3A${gen(59, 40, AN)}`, `reused connect.sid=s%3A${gen(59, 40, AN)} after logout`),
  shape("escaped api_key in an echo", gen(60, 30, AN), `error="upstream said {\\"api_key\\":\\"${gen(60, 30, AN)}\\",\\"ok\\":false}"`),
  shape("Python dict api_key", gen(68, 32, AN), `kwargs {'model': 'x', 'api_key': '${gen(68, 32, AN)}'}`),
  shape("JSON password field", pw(61), `body {"user":"a","password":"${pw(61)}"}`),
  shape("apiKey= assignment", pw(62), `apiKey=${pw(62)} rejected`),
  shape("env PROVIDER_API_KEY=", pw(63), `OPENROUTER_API_KEY=${pw(63)}`),
  shape("--token flag", pw(64), `openclaw gateway --token ${pw(64)}`),
  shape("client_secret=", pw(65), `grant failed client_secret=${pw(65)}&code=x`),
  shape("access_token in query", pw(66), `GET /me?access_token=${pw(66)}&fields=id`),
  shape("SQL Server Password=", pw(67), `Server=db;User Id=sa;Password=${pw(67)};`),
];
