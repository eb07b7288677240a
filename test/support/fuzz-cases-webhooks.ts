/**
 * Fuzz requests for the platform webhooks, signed as each platform signs (so the payload parsers and
 * the turn behind them are reached) or signed wrongly, stale or not at all: Telegram's secret token
 * header, Slack's v0 HMAC signature, WeChat's `signature` and, in safe mode, the encrypted body with
 * its `msg_signature`.
 */
import { randomBytes } from 'node:crypto';
import { blockActionPayload, dmEvent, mentionEvent, slackSignature } from './slack-events';
import { FUZZ_SECRETS } from './fuzz-target';
import { malformedJson, malformedXml, mutate, ODD_STRINGS, oddValue, type Rng } from './fuzz-random';
import { type CaseMaker, encode, type Header, jsonRequest } from './fuzz-spoil';
import { sha1Signature, wechatEncrypt, wechatXml } from './wechat-server';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const text = (rng: Rng) => rng.pick([...ODD_STRINGS, 'hello', 'human please', 'where is my order 123456']);

const telegram: CaseMaker = (rng) => {
  const chat = { id: rng.pick([1001, 1002, -100123, 0]), type: rng.pick(['private', 'group', 'channel']) };
  const message = mutate(rng, {
    message_id: rng.int(1e6),
    date: nowSeconds(),
    chat,
    from: { id: 1001, is_bot: false, first_name: text(rng).slice(0, 100), language_code: rng.pick(['en', 'zh', 'xx']) },
    text: text(rng),
  });
  const update = rng.chance(0.8)
    ? mutate(rng, { update_id: rng.int(1e9), message })
    : mutate(rng, {
        update_id: rng.int(1e9),
        callback_query: { id: String(rng.int(1e9)), from: { id: 1001, is_bot: false, first_name: 'A' }, message, data: String(oddValue(rng)).slice(0, 100) },
      });
  const secret: Header[] = rng.pick([
    [['X-Telegram-Bot-Api-Secret-Token', FUZZ_SECRETS.telegram]],
    [['X-Telegram-Bot-Api-Secret-Token', FUZZ_SECRETS.telegram]],
    [['X-Telegram-Bot-Api-Secret-Token', 'wrong']],
    [],
  ]);
  const body = rng.chance(0.2) ? malformedJson(rng) : update;
  return jsonRequest(
    `POST /webhooks/telegram (${secret.length && secret[0]?.[1] === FUZZ_SECRETS.telegram ? 'valid' : 'invalid'} secret)`,
    'POST',
    '/webhooks/telegram',
    body,
    secret,
  );
};

function slackBody(rng: Rng): { raw: string; type: string } {
  const kind = rng.int(5);
  if (kind === 0) return { raw: JSON.stringify(mutate(rng, { type: 'url_verification', challenge: String(oddValue(rng)), token: 't' })), type: 'application/json' };
  if (kind === 1) return { raw: malformedJson(rng), type: 'application/json' };
  if (kind === 2) {
    const payload = mutate(
      rng,
      blockActionPayload({
        channel: 'D0CUSTOMER',
        message: { ts: '1700000001.000001', text: 'x', blocks: [] },
        actionId: rng.pick(['kefu_qr_0', 'claim', 'x']),
        value: String(oddValue(rng)),
        label: 'L',
      }),
    );
    const raw = rng.chance(0.8) ? new URLSearchParams({ payload: JSON.stringify(payload) }).toString() : rng.pick(['payload=%7B', 'command=%2Fkefu&text=hi', 'payload=', '%']);
    return { raw, type: 'application/x-www-form-urlencoded' };
  }
  const event = mutate(
    rng,
    kind === 3 ? dmEvent({ text: text(rng), user: rng.pick(['UCUSTOMER', 'UBOT', '']) }) : mentionEvent({ text: text(rng), channel: rng.pick(['C0PUBLIC', 'C0SUPPORT']) }),
  );
  const envelope = mutate(rng, { type: 'event_callback', event_id: `Ev${rng.int(1e9)}`, team_id: 'T0001', api_app_id: 'A0001', event, event_time: nowSeconds() });
  return { raw: JSON.stringify(envelope), type: 'application/json' };
}

const slack: CaseMaker = (rng) => {
  const { raw, type } = slackBody(rng);
  const how = rng.pick(['valid', 'valid', 'valid', 'stale', 'wrong', 'none', 'odd-timestamp'] as const);
  const ts = how === 'stale' ? nowSeconds() - 600 : nowSeconds();
  const headers: Header[] = [['Content-Type', type]];
  if (how !== 'none') {
    headers.push(['X-Slack-Request-Timestamp', how === 'odd-timestamp' ? rng.pick(['-1', '1e3', '', '99999999999999']) : String(ts)]);
    headers.push(['X-Slack-Signature', how === 'wrong' ? slackSignature('guess', ts, raw) : slackSignature(FUZZ_SECRETS.slack, ts, raw)]);
  }
  if (rng.chance(0.1)) headers.push(['X-Slack-Retry-Num', rng.pick(['1', '3', 'x', '-5'])]);
  return { label: `POST /webhooks/slack (${how} signature)`, method: 'POST', target: '/webhooks/slack', headers, body: Buffer.from(raw, 'utf8') };
};

function wechatMessage(rng: Rng, appId: string): string {
  if (rng.chance(0.25)) return malformedXml(rng);
  const msgType = rng.pick(['text', 'text', 'event', 'image', 'location', 'voice', 'unknown', '']);
  const fields: Record<string, string | number> = {
    ToUserName: 'gh_kefu_fuzz',
    FromUserName: rng.pick(['oFuzzUser1', 'oFuzzUser2', String(oddValue(rng)).slice(0, 80)]),
    CreateTime: nowSeconds(),
    MsgType: msgType,
  };
  if (msgType === 'text') Object.assign(fields, { Content: text(rng).slice(0, 3000), MsgId: rng.int(1e12) });
  if (msgType === 'event') Object.assign(fields, { Event: rng.pick(['subscribe', 'CLICK', 'unsubscribe', 'x']), EventKey: String(oddValue(rng)).slice(0, 100) });
  if (msgType === 'image') Object.assign(fields, { PicUrl: 'http://127.0.0.1:1/x.jpg', MediaId: 'm', MsgId: rng.int(1e12) });
  if (rng.chance(0.1)) fields.AppId = appId;
  const xml = wechatXml(fields);
  // Odd text inside CDATA can close it early ("]]>") or smuggle elements: that is the point.
  return rng.chance(0.1) ? xml.replace('<Content><![CDATA[', '<Content><![CDATA[]]><MsgType>event</MsgType><![CDATA[') : xml;
}

const wechat: CaseMaker = (rng, ctx) => {
  const secrets = { token: FUZZ_SECRETS.wechatToken, appId: ctx.wechatAppId, encodingAESKey: FUZZ_SECRETS.wechatAesKey };
  const timestamp = String(rng.chance(0.1) ? nowSeconds() - 3600 : nowSeconds());
  const nonce = String(randomBytes(4).readUInt32BE(0));
  const signed = rng.chance(0.75);
  const signature = sha1Signature(signed ? secrets.token : 'wrong', timestamp, nonce);
  if (rng.chance(0.15)) {
    const echostr = rng.chance(0.5) ? wechatEncrypt(secrets, String(oddValue(rng))) : rng.pick(['1234', '', 'not base64 %', randomBytes(40).toString('base64')]);
    const q: Record<string, string> = rng.chance(0.5)
      ? { signature, timestamp, nonce, echostr }
      : { msg_signature: sha1Signature(secrets.token, timestamp, nonce, echostr), timestamp, nonce, echostr };
    return { label: 'GET /webhooks/wechat (URL verification)', method: 'GET', target: `/webhooks/wechat?${new URLSearchParams(q).toString()}`, headers: [] };
  }
  const xml = wechatMessage(rng, secrets.appId);
  const encrypted = rng.chance(0.5);
  let body = xml;
  const q: Record<string, string> = { signature, timestamp, nonce, openid: 'oFuzzUser1' };
  if (encrypted) {
    const enc = rng.chance(0.85) ? wechatEncrypt(secrets, xml) : rng.pick([randomBytes(48).toString('base64'), 'AAAA', '!!!']);
    body = wechatXml({ ToUserName: 'gh_kefu_fuzz', Encrypt: enc });
    Object.assign(q, { encrypt_type: 'aes', msg_signature: sha1Signature(signed ? secrets.token : 'wrong', timestamp, nonce, enc) });
    if (rng.chance(0.3)) delete q.signature;
  }
  const target = `/webhooks/wechat?${Object.entries(q)
    .map(([k, v]) => `${k}=${encode(v)}`)
    .join('&')}`;
  return {
    label: `POST /webhooks/wechat (${encrypted ? 'safe mode' : 'plain'}, ${signed ? 'valid' : 'invalid'} signature)`,
    method: 'POST',
    target,
    headers: [['Content-Type', 'text/xml']],
    body: Buffer.from(body, 'utf8'),
  };
};

export const WEBHOOK_CASES: ReadonlyArray<readonly [number, CaseMaker]> = [
  [3, telegram],
  [3, slack],
  [3, wechat],
];
