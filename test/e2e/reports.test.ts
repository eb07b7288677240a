/**
 * CSV exports for supervisors (issue 12, item 6): the conversations handed to people, their tickets
 * and the analytics per day for a date range; no message text; cells that would be spreadsheet
 * formulas are defused; agents are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsv } from '../../server/reports/csv';
import { dailyReportWriter } from '../../server/reports/daily';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { login } from './console-support';

const today = () => new Date().toISOString().slice(0, 10);

describe('CSV reports', function () {
  this.timeout(30_000);
  let s: RunningApp;
  const tokenOf = async (agentId: string) => (await login(s.url, agentId)).token;
  const report = async (kind: string, token: string, range = `from=${today()}&to=${today()}`) =>
    fetch(`${s.url}/console/api/reports/${kind}?${range}`, { headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    await postMessage(s.url, { conversationId: 'rep-1', text: 'talk to a human please, my secret words' });
    for (const agent of ['anna', 'wang', 'lilei']) await s.app.handoff.setAgentStatus(agent, 'offline');
    await postMessage(s.url, { conversationId: 'rep-2', text: 'talk to a human please' }); // nobody there: a ticket
    await s.app.handoff.idle();
  });
  after(() => s?.stop());

  it('quotes fields, ends lines with CRLF, and defuses formulas', () => {
    assert.equal(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=HYPERLINK("x")', 3],
          [undefined, true],
        ],
      ),
      'a,b\r\n"x,y","say ""hi"""\r\n"\'=HYPERLINK(""x"")",3\r\n,true\r\n',
    );
  });

  it('conversations and tickets of the day, without message text', async () => {
    const token = await tokenOf('lilei'); // a supervisor
    const conversations = await report('conversations.csv', token);
    assert.equal(conversations.status, 200);
    assert.match(conversations.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(conversations.headers.get('content-disposition') ?? '', /attachment; filename="kefu-conversations-/);
    const text = await conversations.text();
    const lines = text.trim().split('\r\n');
    assert.match(lines[0] ?? '', /^handoff,conversation,channel,language,customer,verified,reason/);
    assert.equal(lines.length, 3, 'a header and the two handoffs');
    assert.ok(text.includes('web:rep-1') && text.includes('web:rep-2'));
    assert.ok(!text.includes('secret words'), 'no message text');
    const tickets = (await (await report('tickets.csv', token)).text()).trim().split('\r\n');
    const ticketed = lines.filter((l) => /,T-\d{6}$/.test(l)).length;
    assert.equal(tickets.length, 1 + ticketed, 'one row per handoff that became a ticket');
    assert.ok(
      tickets.some((t) => /^T-\d{6},web:rep-2,web,en,Visitor #\d{4},no-agent,/.test(t)),
      tickets.join('\n'),
    );
  });

  it('analytics per day; bad kinds, ranges and roles are coded errors', async () => {
    const token = await tokenOf('anna'); // the demo admin
    const analytics = (await (await report('analytics.csv', token)).text()).trim().split('\r\n');
    assert.match(analytics[0] ?? '', /^day,conversations,turns,bot_turns/);
    assert.match(analytics[1] ?? '', new RegExp(`^${today()},2,`));
    assert.equal((await report('secrets.csv', token)).status, 404);
    const bad = await report('analytics.csv', token, 'from=2026-13-01&to=2026-01-01');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_ANALYTICS_RANGE_INVALID');
    assert.equal((await report('conversations.csv', await tokenOf('wang'))).status, 403, 'agents do not export');
  });

  it('the daily reports (DAILY_REPORTS=file): the day’s three CSVs under DATA_DIR/reports, readable by the owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-daily-reports-'));
    try {
      await dailyReportWriter({ data: s.app.engine.data, handoff: s.app.handoff }, dir)(today());
      for (const kind of ['conversations', 'tickets', 'analytics']) {
        const file = join(dir, 'reports', `${today()}-${kind}.csv`);
        assert.equal(statSync(file).mode & 0o777, 0o600);
        assert.ok(readFileSync(file, 'utf8').split('\r\n').length > 2, `${kind} has rows`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
