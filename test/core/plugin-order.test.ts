/** Plugins declare their order (`needs`, `after`); the engine refuses to register them otherwise (KEFU_ERR_PLUGIN_ORDER). */
import assert from 'node:assert/strict';
import { createEngine, type Plugin } from '../../core';
import { demoDialogs } from '../../dialogs';
import { createKeywordClassifier } from '../support/keyword-classifier';

const plugin = (name: string, order: { needs?: string[]; after?: string[] } = {}): Plugin<void> => ({ name, ...order, register() {} });

describe('plugin order', () => {
  const engine = () => createEngine({ classifier: createKeywordClassifier(), dialogs: demoDialogs });

  it('a plugin that needs another is refused until that one is registered', async () => {
    const e = engine();
    await assert.rejects(e.register(plugin('reports', { needs: ['handoff'] }), undefined), { code: 'KEFU_ERR_PLUGIN_ORDER', message: /"reports" needs "handoff"/ });
    await e.register(plugin('handoff'), undefined);
    await e.register(plugin('reports', { needs: ['handoff'] }), undefined);
  });

  it('a plugin registered before one that says it runs after it is refused, and so is a second registration', async () => {
    const e = engine();
    await e.register(plugin('experiments', { after: ['handoff'] }), undefined); // handoff is optional for it
    await assert.rejects(e.register(plugin('handoff'), undefined), { code: 'KEFU_ERR_PLUGIN_ORDER', message: /"handoff" must be registered before "experiments"/ });
    await assert.rejects(e.register(plugin('experiments'), undefined), { code: 'KEFU_ERR_PLUGIN_ORDER', message: /twice/ });
  });
});
