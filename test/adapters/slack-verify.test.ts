import assert from 'node:assert/strict';
import { parseSlackRequest, signSlackRequest, verifySlackSignature } from '../../adapters/slack';
import { isKefuError } from '../../core';

// The worked example from https://api.slack.com/authentication/verifying-requests-from-slack
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TS = '1531420618';
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const DOC_NOW = Number(DOC_TS) * 1000;

describe('slack verifySlackSignature', () => {
  const input = { signingSecret: DOC_SECRET, timestamp: DOC_TS, signature: DOC_SIGNATURE, rawBody: DOC_BODY, now: DOC_NOW };

  it("computes Slack's documented example signature", () => {
    assert.equal(signSlackRequest(DOC_SECRET, DOC_TS, DOC_BODY), DOC_SIGNATURE);
    assert.deepEqual(verifySlackSignature(input), { ok: true, value: true });
  });

  it('accepts a Buffer body byte for byte', () => {
    assert.equal(verifySlackSignature({ ...input, rawBody: Buffer.from(DOC_BODY) }).ok, true);
  });

  it('refuses a wrong secret, a changed body and a changed signature', () => {
    assert.deepEqual(verifySlackSignature({ ...input, signingSecret: 'other' }), { ok: false, error: 'bad-signature' });
    assert.deepEqual(verifySlackSignature({ ...input, rawBody: `${DOC_BODY}&x=1` }), { ok: false, error: 'bad-signature' });
    assert.deepEqual(verifySlackSignature({ ...input, signature: DOC_SIGNATURE.replace(/.$/, '4') }), { ok: false, error: 'bad-signature' });
    assert.deepEqual(verifySlackSignature({ ...input, signature: 'v0=short' }), { ok: false, error: 'bad-signature' });
  });

  it('allows a timestamp 5 minutes old and refuses one older (or as far in the future)', () => {
    assert.equal(verifySlackSignature({ ...input, now: DOC_NOW + 300_000 }).ok, true);
    assert.deepEqual(verifySlackSignature({ ...input, now: DOC_NOW + 301_000 }), { ok: false, error: 'stale-timestamp' });
    assert.deepEqual(verifySlackSignature({ ...input, now: DOC_NOW - 301_000 }), { ok: false, error: 'stale-timestamp' });
  });

  it('refuses missing headers and a non-numeric timestamp', () => {
    assert.deepEqual(verifySlackSignature({ ...input, signature: undefined }), { ok: false, error: 'missing-headers' });
    assert.deepEqual(verifySlackSignature({ ...input, timestamp: undefined }), { ok: false, error: 'missing-headers' });
    assert.deepEqual(verifySlackSignature({ ...input, timestamp: '1531420618.5' }), { ok: false, error: 'bad-timestamp' });
  });
});

describe('slack parseSlackRequest', () => {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(isKefuError(err), String(err));
      return err.code;
    }
    return 'no error';
  };

  it('reads url_verification, event_callback, app_rate_limited and interactive payloads', () => {
    assert.deepEqual(parseSlackRequest('application/json', json({ type: 'url_verification', token: 't', challenge: 'abc123' })), { kind: 'url_verification', challenge: 'abc123' });
    const event = parseSlackRequest('application/json; charset=utf-8', json({ type: 'event_callback', event_id: 'Ev1', event: { type: 'message', text: 'x' } }));
    assert.equal(event.kind === 'event' && `${event.eventId}/${event.eventType}`, 'Ev1/message');
    assert.deepEqual(parseSlackRequest('application/json', json({ type: 'app_rate_limited', minute_rate_limited: 1 })), { kind: 'rate_limited' });
    const form = Buffer.from(new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: [] }) }).toString());
    const interactive = parseSlackRequest('application/x-www-form-urlencoded', form);
    assert.equal(interactive.kind === 'interactive' && interactive.payloadType, 'block_actions');
  });

  it('answers malformed bodies with coded errors', () => {
    assert.equal(
      code(() => parseSlackRequest('application/json', Buffer.from('{nope'))),
      'KEFU_ERR_ADAPTER_PAYLOAD',
    );
    assert.equal(
      code(() => parseSlackRequest('application/json', json({ type: 'event_callback', event: { type: 'message' } }))),
      'KEFU_ERR_ADAPTER_PAYLOAD',
    );
    assert.equal(
      code(() => parseSlackRequest('application/json', json([1, 2]))),
      'KEFU_ERR_ADAPTER_PAYLOAD',
    );
    assert.equal(
      code(() => parseSlackRequest('application/x-www-form-urlencoded', Buffer.from('command=%2Fhelp&text='))),
      'KEFU_ERR_ADAPTER_PAYLOAD',
    );
    assert.equal(
      code(() => parseSlackRequest('application/x-www-form-urlencoded', Buffer.from('payload=%7Bbroken'))),
      'KEFU_ERR_ADAPTER_PAYLOAD',
    );
    assert.equal(
      code(() => parseSlackRequest('text/plain', Buffer.from('hi'))),
      'KEFU_ERR_HTTP_CONTENT_TYPE',
    );
  });
});
