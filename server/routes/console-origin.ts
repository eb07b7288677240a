/**
 * CSRF protection for the console: a request that a browser sends with the session cookie must say
 * where it comes from (`Origin`, else `Referer`), and that origin must be the console's own (the
 * request's host, as the trust-proxy setting sees it) or one of CONSOLE_ALLOWED_ORIGINS. A page on
 * another site (or another port of this host) can make the browser send the cookie, but cannot
 * forge these headers. Requests with `Authorization: Bearer` carry no ambient credential and are
 * not checked.
 */

export interface OriginPolicy {
  /** Exact origins (`https://support.example.com`) allowed besides the request's own. */
  allowed: readonly string[];
}

type Headers = { origin?: string | string[]; referer?: string | string[] };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The origin a request names: its Origin header, else its Referer's origin; undefined when neither parses ("null" included). */
export function claimedOrigin(headers: Headers): URL | undefined {
  const origin = first(headers.origin);
  const source = origin ?? first(headers.referer);
  if (!source || source === 'null') return undefined;
  try {
    const url = new URL(source);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `origin` is the request's own host (default ports folded) or an allowed origin. */
export function isTrustedOrigin(origin: URL, ownHost: string, policy: OriginPolicy): boolean {
  if (policy.allowed.includes(origin.origin)) return true;
  if (!ownHost) return false;
  try {
    return new URL(`${origin.protocol}//${ownHost}`).host === origin.host;
  } catch {
    return false;
  }
}

/** A cookie-authenticated request passes when it names a trusted origin. */
export function originAllowed(headers: Headers, ownHost: string, policy: OriginPolicy): boolean {
  const origin = claimedOrigin(headers);
  return origin !== undefined && isTrustedOrigin(origin, ownHost, policy);
}

/** Cross-site: it names an origin, and not a trusted one (a login without any Origin, from curl, passes). */
export function crossSite(headers: Headers, ownHost: string, policy: OriginPolicy): boolean {
  if (first(headers.origin) === undefined && first(headers.referer) === undefined) return false;
  return !originAllowed(headers, ownHost, policy);
}

export const CSRF_MESSAGE =
  'This console request came from another origin (or named none): send it from the console page, set CONSOLE_ALLOWED_ORIGINS for another trusted origin, or use Authorization: Bearer.';
