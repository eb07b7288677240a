/**
 * A missed first-response target in the console (Chromium, real app): the supervisor and the
 * assigned agent see the toast and hear the SLA tone (Web Audio, observed through a recording
 * AudioContext installed before the page loads); another agent hears nothing. The tone waits for a
 * gesture as browsers require (the login click is one).
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { openConsole } from './console-page';

/**
 * Replaces AudioContext with one that records the frequency of every oscillator started. A string,
 * not a function: the test runner's transform would add helpers the page does not have.
 */
const RECORDING_AUDIO = `
  window.kefuTones = [];
  const node = () => ({ connect: (next) => next || node() });
  window.AudioContext = class {
    constructor() { this.state = 'suspended'; this.currentTime = 0; this.destination = {}; }
    async resume() { this.state = 'running'; }
    createGain() { return { ...node(), gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} } }; }
    createOscillator() {
      const osc = { ...node(), frequency: { value: 0 }, start: () => window.kefuTones.push(osc.frequency.value), stop() {} };
      return osc;
    }
  };
`;
const recordAudio = (page: Page) => page.addInitScript(RECORDING_AUDIO);

const tones = (page: Page) => page.evaluate(() => [...(window as unknown as { kefuTones: number[] }).kefuTones]);
/** The SLA tone's notes (web/console/alerts.ts): 988 and 740 Hz alternating. */
const SLA_TONE = [988, 740, 988, 740];

describe('console SLA alert (Chromium)', function () {
  this.timeout(120_000);
  let s: RunningApp;
  let browser: Browser;

  before(async () => {
    s = await startApp({ SLA_AGENT_FIRST_RESPONSE_SECONDS: '1' }, { classifier: createKeywordClassifier() });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('the supervisor, the admin and the assignee hear the SLA tone and see the toast', async () => {
    const opts = { beforeLoad: recordAudio };
    const lilei = await openConsole(browser, s.url, 'lilei', 'lilei-pass-12345', opts); // supervisor
    const anna = await openConsole(browser, s.url, 'anna', 'anna-pass-12345', opts); // admin: hears everything too
    const wang = await openConsole(browser, s.url, 'wang', 'wang-pass-12345', opts); // agent
    for (const who of ['lilei', 'anna', 'wang']) await s.app.handoff.setAgentStatus(who, 'away');
    await postMessage(s.url, { conversationId: 'sla1', text: 'I need a human' });
    assert.ok((await s.app.handoff.claim('web:sla1', 'wang')).ok, 'Wang has it and does not answer');
    const before = await Promise.all([lilei, anna, wang].map((c) => tones(c.page)));

    for (const c of [lilei, wang]) await c.page.locator('#toast.toast--error', { hasText: /First-response target missed \(agent\)/ }).waitFor({ timeout: 15_000 });
    await anna.page.locator('#toast.toast--error', { hasText: /First-response target missed/ }).waitFor({ timeout: 15_000 });
    const after = await Promise.all([lilei, anna, wang].map((c) => tones(c.page)));
    const heard = after.map((t, i) => t.slice(before[i]?.length ?? 0).join());
    assert.ok(heard[0]?.includes(SLA_TONE.join()), `the supervisor hears the SLA tone (${heard[0]})`);
    assert.ok(heard[1]?.includes(SLA_TONE.join()), 'so does the admin');
    assert.ok(heard[2]?.includes(SLA_TONE.join()), 'and the assignee');
    assert.match((await lilei.page.locator('#alert-live').textContent()) ?? '', /First-response target missed \(agent\): Visitor #\d{4} waited \d+ s/);
    assert.deepEqual([...lilei.errors, ...anna.errors, ...wang.errors], []);
  });

  it('an agent who is not the assignee sees a queued breach but hears no SLA tone', async () => {
    const wang = await openConsole(browser, s.url, 'wang', 'wang-pass-12345', { beforeLoad: recordAudio });
    const lilei = await openConsole(browser, s.url, 'lilei', 'lilei-pass-12345', { beforeLoad: recordAudio });
    await postMessage(s.url, { conversationId: 'sla2', text: 'I need a human' }); // nobody takes it: a queued breach
    await lilei.page.locator('#toast.toast--error', { hasText: /First-response target missed/ }).waitFor({ timeout: 15_000 });
    await wang.page.locator('#toast.toast--error', { hasText: /First-response target missed/ }).waitFor({ timeout: 15_000 });
    assert.ok((await tones(lilei.page)).join().includes(SLA_TONE.join()), 'the supervisor hears it');
    const wangHeard = (await tones(wang.page)).join();
    assert.ok(wangHeard.startsWith('880,1320'), `the agent's sound works: the new-escalation chime (${wangHeard})`);
    assert.ok(!wangHeard.includes(SLA_TONE.join()), 'but no SLA tone for an agent who does not have the conversation');
    assert.deepEqual([...wang.errors, ...lilei.errors], []);
  });
});
