/** QA measures the handoff's per-tier SLA from config; the deprecated QA_FIRST_RESPONSE_SLA_SECONDS still counts, with a warning. */
import assert from 'node:assert/strict';
import { loadConfig } from '../../core';
import { qaSlaOf } from '../../server/routes/console-qa';
import { recordingLogger } from '../support/telegram-test-kit';

describe('QA SLA from config', () => {
  it('uses SLA_AGENT_/SLA_EXPERT_FIRST_RESPONSE_SECONDS and QA_REPLY_SLA_SECONDS, quietly', () => {
    const { log, lines } = recordingLogger();
    const config = loadConfig({ SLA_AGENT_FIRST_RESPONSE_SECONDS: '90', SLA_EXPERT_FIRST_RESPONSE_SECONDS: '600', QA_REPLY_SLA_SECONDS: '180' });
    assert.deepEqual(qaSlaOf(config, log), { agentFirstResponseMs: 90_000, expertFirstResponseMs: 600_000, replyMs: 180_000 });
    assert.deepEqual(qaSlaOf(loadConfig({}), log), { agentFirstResponseMs: 60_000, expertFirstResponseMs: 300_000, replyMs: 120_000 });
    assert.deepEqual(lines, []);
  });

  it('honours a set QA_FIRST_RESPONSE_SLA_SECONDS for the agent tier and logs that it is deprecated', () => {
    const { log, lines } = recordingLogger();
    const sla = qaSlaOf(loadConfig({ QA_FIRST_RESPONSE_SLA_SECONDS: '45' }), log);
    assert.equal(sla.agentFirstResponseMs, 45_000);
    assert.equal(sla.expertFirstResponseMs, 300_000);
    assert.deepEqual(
      lines.map((l) => [l.level, l.obj.key, l.obj.use]),
      [['warn', 'QA_FIRST_RESPONSE_SLA_SECONDS', 'SLA_AGENT_FIRST_RESPONSE_SECONDS']],
    );
  });
});
