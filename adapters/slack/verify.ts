/**
 * Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack), as a
 * pure function with the clock passed in (bolt `receivers/verify-request.ts`):
 * `v0=` + hex HMAC-SHA256 of `v0:{X-Slack-Request-Timestamp}:{raw body}` with the signing secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Result } from '../../core';

/** Slack's replay window: requests whose timestamp is further than this from now are refused. */
export const MAX_REQUEST_AGE_SECONDS = 5 * 60;

export interface SignatureInput {
  signingSecret: string;
  /** `X-Slack-Request-Timestamp` header, in seconds. */
  timestamp: string | undefined;
  /** `X-Slack-Signature` header. */
  signature: string | undefined;
  rawBody: Buffer | string;
  /** Current time in milliseconds. */
  now: number;
}

export type SignatureProblem = 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature';

/** Computes the `X-Slack-Signature` value for a body (also used by tests to sign requests as Slack does). */
export function signSlackRequest(signingSecret: string, timestamp: string | number, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** Checks a Slack request signature; never throws. */
export function verifySlackSignature(input: SignatureInput): Result<true, SignatureProblem> {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, error: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, error: 'bad-timestamp' };
  const ageSeconds = Math.abs(Math.floor(input.now / 1000) - Number(timestamp));
  if (ageSeconds > MAX_REQUEST_AGE_SECONDS) return { ok: false, error: 'stale-timestamp' };
  const expected = Buffer.from(signSlackRequest(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'bad-signature' };
  return { ok: true, value: true };
}

/** What to tell the caller for each problem (never echoes the secret or the expected signature). */
export const SIGNATURE_MESSAGES: Record<SignatureProblem, string> = {
  'missing-headers': 'Missing X-Slack-Signature or X-Slack-Request-Timestamp header; only Slack may call this URL.',
  'bad-timestamp': 'X-Slack-Request-Timestamp is not a Unix time in seconds.',
  'stale-timestamp': `X-Slack-Request-Timestamp is more than ${MAX_REQUEST_AGE_SECONDS / 60} minutes from the server clock (replay, or the clock is off).`,
  'bad-signature': 'X-Slack-Signature does not match; check SLACK_SIGNING_SECRET (Basic Information → Signing Secret in the Slack app settings).',
};
