// xoxe-: the refresh tokens of token rotation.
const SLACK_TOKEN = /\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+/g;
/** Secrets the WebClient's debug log shows as fields of request bodies (JSON or form), e.g. oauth.v2.access's client_secret. */
const SECRET_FIELD = /((?:client_secret|refresh_token|access_token|signing_secret)\\?"?\s*[:=]\s*\\?"?)[^"\\&\s,}]+/gi;
/**
 * The one-use OAuth `code` of an install or a "Sign in with Slack", as a JSON field or a query parameter; not
 * `error_code`, nor "status code: 500" in an error message.
 */
const CODE_FIELD = /(\\?"code\\?"\s*:\s*\\?"|(?<![A-Za-z_])code=)[^"\\&\s,}]+/g;
/** People's email addresses: Slack's users.info and openid.connect.userInfo answers carry them, the debug log prints those answers. */
// The lookbehind starts a match only where a run of such characters starts: without it a long run with no `@`
// (a base64 blob, a view's JSON) is rescanned from every one of its characters, quadratic in its length.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Text as it may reach the log: Slack tokens, app credentials, OAuth codes and email addresses taken out. */
export function scrubText(text: string): string {
  // Every log line passes here, some of them a whole view's JSON: a pattern runs only where its telltale is.
  let out = text;
  if (out.includes('xox') || out.includes('xapp-')) out = out.replace(SLACK_TOKEN, '[redacted]');
  if (/secret|_token/i.test(out)) out = out.replace(SECRET_FIELD, '$1[redacted]');
  if (out.includes('code')) out = out.replace(CODE_FIELD, '$1[redacted]');
  if (out.includes('@')) out = out.replace(EMAIL, '[email]');
  return out;
}
