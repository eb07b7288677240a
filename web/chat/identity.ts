/**
 * The customer's identity as the shop vouches for it (docs/security.md, "Verified customer
 * identity"): the shop's backend signs it and gives it to the page either in the link's fragment,
 * `/#identity=<identity>&signature=<identitySignature>` (a fragment never reaches a server log or a
 * Referer; the page removes it from the address bar at once), or, on a page the shop serves itself,
 * as `window.kefuIdentity = { identity, signature }` set before /chat/main.js runs. The page keeps
 * it for the tab (sessionStorage) and sends it with every message; without one the customer is a visitor.
 */
export interface SignedIdentity {
  identity: string;
  signature: string;
}

const KEY = 'kefu.chat.identity';
const TOKEN = /^[A-Za-z0-9_-]{1,4096}$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;

function valid(v: unknown): SignedIdentity | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { identity, signature } = v as Record<string, unknown>;
  return typeof identity === 'string' && typeof signature === 'string' && TOKEN.test(identity) && SIGNATURE.test(signature) ? { identity, signature } : undefined;
}

function fromFragment(loc: Location, hist: History): SignedIdentity | undefined {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  if (!params.has('identity')) return undefined;
  hist.replaceState(null, '', loc.pathname + loc.search); // out of the address bar, bookmarks and history
  return valid({ identity: params.get('identity'), signature: params.get('signature') });
}

function stored(): SignedIdentity | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? valid(JSON.parse(raw)) : undefined;
  } catch {
    return undefined;
  }
}

function store(value: SignedIdentity | undefined): void {
  try {
    if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage refused: the identity lasts as long as the page
  }
}

/** The identity given to this page (fragment, then window.kefuIdentity, then the tab's stored one). */
export function loadIdentity(win: Window & { kefuIdentity?: unknown } = window): SignedIdentity | undefined {
  const given = fromFragment(win.location, win.history) ?? valid(win.kefuIdentity);
  if (given) store(given);
  return given ?? stored();
}

/** The server refused it (bad signature, expired): the page goes on as a visitor. */
export function forgetIdentity(): void {
  store(undefined);
}
