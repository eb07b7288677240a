/**
 * kefu's own plugins after the handoff, in the order they declare (`Plugin.after`), registered on
 * the engine before any HTTP route and before the bot's plugins: analytics (counts the handoff's
 * turn notes), experiments (variants of texts and dialogs), the knowledge base's middleware (FAQ
 * answers added in the console), and the audit log's agent channel. Routes only get the services.
 * @example
 * const plugins = await wirePlugins({ engine, handoff: handoff.service, knowledge, cluster, config });
 * await http.register(analyticsRoutes, { ...staff, analytics: plugins.analytics });
 */
import type { Config, Engine } from '../core';
import { type AnalyticsService, createAnalytics } from '../plugins/analytics';
import { createAuditChannel, createAuditLog } from '../plugins/audit';
import { createExperiments, type Experiments, loadExperimentsFile } from '../plugins/experiments';
import type { HandoffService } from '../plugins/handoff';
import type { KbBus, KnowledgeService } from './kb/wire';

export interface BuiltPlugins {
  analytics: AnalyticsService;
  experiments: Experiments;
}

export interface PluginDeps {
  engine: Engine;
  handoff: HandoffService;
  knowledge: KnowledgeService;
  bus: KbBus;
  config: Readonly<Pick<Config, 'EXPERIMENTS_FILE'>>;
}

export async function wirePlugins({ engine, handoff, knowledge, bus, config }: PluginDeps): Promise<BuiltPlugins> {
  const analytics = createAnalytics({ handoff });
  await engine.register(analytics.plugin, undefined);
  const experiments = createExperiments({ engine, fromFile: await loadExperimentsFile(config.EXPERIMENTS_FILE) });
  await engine.register(experiments.plugin, undefined); // its middleware wraps the FAQ answers below
  knowledge.attach(engine, bus);
  handoff.addAgentChannel(createAuditChannel(createAuditLog({ data: engine.data, now: engine.now })));
  return { analytics: analytics.service, experiments };
}
