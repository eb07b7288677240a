/** The WeChat API client against the local WeChat server: access_token caching and refresh, retries, credentials. */
import assert from 'node:assert/strict';
import { createWechatApi, type WechatApi } from '../../adapters/wechat/api';
import { CUSTOM_SEND_PATH } from '../../adapters/wechat/deliver';
import { WechatApiError } from '../../adapters/wechat/errors';
import { isKefuError, silentLogger } from '../../core';
import { startWechatServer, type WechatServer } from '../support/wechat-server';

const text = (content: string) => ({ touser: 'oUser1', msgtype: 'text', text: { content } });

describe('wechat api client', () => {
  let server: WechatServer;
  let clock: number;
  const sleeps: number[] = [];
  const make = (over: { appSecret?: string; maxAttempts?: number } = {}): WechatApi =>
    createWechatApi({
      apiBase: `${server.url}/`,
      appId: server.appId,
      appSecret: over.appSecret ?? server.appSecret,
      log: silentLogger,
      now: () => clock,
      retryBaseMs: 100,
      maxAttempts: over.maxAttempts ?? 4,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

  beforeEach(async () => {
    server = await startWechatServer({ tokenTtlSeconds: 7200 });
    clock = 1_700_000_000_000;
    sleeps.length = 0;
  });
  afterEach(() => server.close());

  it('fetches the access_token once and reuses it, also under concurrent calls', async () => {
    const api = make();
    await Promise.all([1, 2, 3, 4, 5].map((i) => api.post(CUSTOM_SEND_PATH, text(`m${i}`))));
    assert.equal(server.tokenCalls(), 1);
    assert.equal(server.messages.length, 5);
  });

  it('refreshes the token shortly before expires_in', async () => {
    const api = make();
    const first = await api.accessToken();
    clock += (7200 - 301) * 1000;
    assert.equal(await api.accessToken(), first, 'still valid more than 5 minutes before expiry');
    clock += 2000;
    assert.notEqual(await api.accessToken(), first, 'refreshed within the last 5 minutes');
    assert.equal(server.tokenCalls(), 2);
  });

  it('refreshes an expired token (42001) and retries the call once', async () => {
    const api = make();
    await api.post(CUSTOM_SEND_PATH, text('before'));
    server.expireTokens();
    await api.post(CUSTOM_SEND_PATH, text('after'));
    assert.equal(server.tokenCalls(), 2);
    assert.deepEqual(
      server.messages.map((m) => m.text?.content),
      ['before', 'after'],
    );
    assert.deepEqual(sleeps, [], 'a token refresh does not back off');
  });

  it('gives up after one refresh when WeChat keeps saying the token is invalid (40001)', async () => {
    const api = make();
    server.failSends('invalid-token', 2);
    await assert.rejects(api.post(CUSTOM_SEND_PATH, text('x')), (err: unknown) => err instanceof WechatApiError && err.errcode === 40001 && !err.transient);
    assert.equal(server.tokenCalls(), 2);
    assert.equal(server.sendAttempts(), 2);
  });

  it('backs off and retries on busy (-1), rate (45009) and HTTP 500', async () => {
    const api = make();
    server.failSends('busy', 1);
    server.failSends('rate', 1);
    server.failSends('http500', 1);
    await api.post(CUSTOM_SEND_PATH, text('finally'));
    assert.equal(server.sendAttempts(), 4);
    assert.deepEqual(sleeps, [100, 200, 400]);
    assert.equal(server.messages[0]?.text?.content, 'finally');
  });

  it('stops after maxAttempts with a transient error', async () => {
    const api = make({ maxAttempts: 3 });
    server.failSends('http500', 3);
    await assert.rejects(api.post(CUSTOM_SEND_PATH, text('x')), (err: unknown) => err instanceof WechatApiError && err.status === 500 && err.transient);
    assert.equal(server.sendAttempts(), 3);
    assert.deepEqual(sleeps, [100, 200]);
    assert.equal(server.messages.length, 0);
  });

  it('does not retry a permanent refusal (45015: outside the 48-hour window)', async () => {
    const api = make();
    server.failSends('out-of-window', 1);
    await assert.rejects(api.post(CUSTOM_SEND_PATH, text('x')), (err: unknown) => err instanceof WechatApiError && err.errcode === 45015 && !err.transient);
    assert.equal(server.sendAttempts(), 1);
    assert.deepEqual(sleeps, []);
  });

  it('reports wrong app credentials as KEFU_ERR_CHANNEL_AUTH without retrying', async () => {
    const api = make({ appSecret: 'wrong' });
    await assert.rejects(api.post(CUSTOM_SEND_PATH, text('x')), (err: unknown) => isKefuError(err, 'KEFU_ERR_CHANNEL_AUTH') && /WECHAT_APP_SECRET/.test(err.message));
    assert.equal(server.tokenCalls(), 1);
    assert.equal(server.sendAttempts(), 0);
  });

  it('treats an unreachable API as transient and retries it', async () => {
    const api = createWechatApi({ apiBase: 'http://127.0.0.1:1', appId: 'a', appSecret: 'b', log: silentLogger, maxAttempts: 2, sleep: async () => {} });
    await assert.rejects(api.post(CUSTOM_SEND_PATH, text('x')), (err: unknown) => err instanceof WechatApiError && err.transient && /network error/.test(err.message));
    assert.equal(api.tokenFetches, 2);
  });
});
