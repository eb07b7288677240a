/**
 * The composition root: `buildApp(config, { dialogs })` wires the data, the classifier, the bot's
 * dialogs (with kefu's kit for what the bot leaves out), the plugins and every channel, and mounts
 * the HTTP routes. It does not listen until asked, so tests can `inject()`. Bot authors use
 * `createKefuApp` (server/create-app.ts), which reads the config for them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createWebChannel } from '../adapters/web';
import {
  type Channel,
  type Config,
  createEngine,
  createLogger,
  type Dialog,
  type Engine,
  type IntentClassifier,
  isWebhookChannel,
  type Logger,
  type Plugin,
  type Repositories,
} from '../core';
import type { AgentProfile, HandoffService } from '../plugins/handoff';
import { withKitDialogs } from '../kit/dialogs';
import { buildData } from './build-data';
import { buildPlatformChannels } from './channels';
import { bridgeHandoff, clusteredWebChannel, joinCluster, sharedRevocations } from './cluster';
import { createEscalationLimits } from './escalation-limits';
import { frameworkErrorOptions, installErrorHandlers } from './http-errors';
import { wireKnowledgeBase } from './kb/wire';
import { retentionIsOn, retentionPeriodsOf, startRetention } from './retention';
import { wireBackups } from './backups';
import { analyticsRoutes } from './routes/analytics';
import { startDailyAudit } from './audit-daily';
import { parseDailyTime } from './audit-daily/clock';
import { auditRoutes } from './routes/audit';
import { reportRoutes } from './routes/reports';
import { wireDailyReports } from './reports/daily';
import { consoleEraseRoutes } from './routes/console-erase';
import { consoleRoutes } from './routes/console';
import { createRevokedTokens } from './routes/console-auth';
import { consoleExperimentsRoutes } from './routes/console-experiments';
import { consoleKbRoutes } from './routes/console-kb';
import { consoleQaRoutes } from './routes/console-qa';
import { consoleTypingRoutes } from './routes/console-typing';
import { webChatRoutes } from './routes/web-chat';
import { webhookRoutes } from './routes/webhooks';
import { loadServerSecret } from './secret';
import { addSecurityHeaders } from './security-headers';
import { wireStaff } from './staff/wire';
import { lazySchemaCompilers } from './schema-compilers';
import { parseTrustProxy } from './trust-proxy';
import { wireHandoff } from './wire-handoff';
import { wirePlugins } from './wire-plugins';
import { wireSlackAgents, wireSlackReportPoster } from './wire-slack';

/** What makes a bot a bot: its dialogs, and optionally plugins and agents. */
export interface BotParts {
  /** The bot's dialogs; kefu adds greeting, thanks, goodbye, fallback, "talk to a person" and cancel where the bot has none (kit/). */
  dialogs: readonly Dialog[];
  /** Registered on the engine after handoff and analytics, in this order. */
  plugins?: ReadonlyArray<Plugin<void>>;
  /** The support team; default AGENTS_FILE, else the sample team (Anna, 王芳, Li Lei). */
  agents?: readonly AgentProfile[];
}

export interface AppOverrides {
  logger?: Logger;
  /** Replaces the data config would open (tests). */
  data?: Repositories;
  classifier?: IntentClassifier;
  /** Replaces the channels config would create (tests). */
  channels?: Channel[];
  now?: () => number;
}

export interface KefuApp {
  http: FastifyInstance;
  /** Listens (default: the config's PORT and HOST); resolves to the address, e.g. http://127.0.0.1:3000. */
  listen(opts?: { port?: number; host?: string }): Promise<string>;
  /** An in-process request, no socket (tests): `await app.inject({ method: 'GET', url: '/healthz' })`. */
  inject: FastifyInstance['inject'];
  engine: Engine;
  /** Escalations, queue, agents, tickets (the agent side of kefu). */
  handoff: HandoffService;
  config: Readonly<Config>;
  /** Stops taking requests, finishes in-flight turns and deliveries, stops channels and closes the data. */
  close(): Promise<void>;
}

const VERSION = '0.1.0';

export async function buildApp(config: Readonly<Config>, bot: BotParts & AppOverrides): Promise<KefuApp> {
  const overrides: AppOverrides = bot;
  const log = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const started = Date.now();
  const { data, kind: storeKind } = overrides.data ? { data: overrides.data, kind: overrides.data.kind } : await buildData(config, log);
  const dialogs = withKitDialogs(bot.dialogs, config.LOCALES_DIR);
  const routed = new Set(dialogs.flatMap((d) => d.triggers));
  const secret = await loadServerSecret(config);
  const cluster = await joinCluster(config, log);
  const now = overrides.now ?? Date.now;
  const escalations = createEscalationLimits({
    perIpPerHour: config.WEB_ESCALATIONS_PER_IP_PER_HOUR,
    perConversationPerHour: config.ESCALATIONS_PER_CONVERSATION_PER_HOUR,
    limiter: cluster.rateLimiter,
  });
  const handoff = await wireHandoff(config, log, {
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(bot.agents ? { agents: bot.agents } : {}),
    escalationLimit: escalations.admit,
  });
  // Staff passwords hash on libuv's threads (scrypt) while the NLU loads on this one; awaited before the console routes.
  const staffReady = wireStaff(handoff, { data, log, now }, cluster);
  staffReady.catch(() => undefined); // a failure surfaces where it is awaited, not as an unhandled rejection meanwhile
  const knowledge = await wireKnowledgeBase(config, data, log, routed, overrides.classifier); // FAQs + console edits; retrained in the background (docs/knowledge-base.md)
  const classifier = knowledge.classifier;
  const engine = createEngine({
    data,
    classifier,
    dialogs,
    logger: log,
    defaultLocale: config.DEFAULT_LOCALE,
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(cluster.leases ? { leases: cluster.leases } : {}),
  });

  const localWeb = createWebChannel({ ...(config.WEB_IDENTITY_SECRET ? { identitySecret: config.WEB_IDENTITY_SECRET } : {}), now: engine.now });
  const web = clusteredWebChannel(localWeb, cluster);
  engine.addChannel(web);
  const platform = overrides.channels ?? (await buildPlatformChannels(config, log));
  for (const c of platform) engine.addChannel(c);
  // Handoff's middleware must run first so the bot stays silent while an agent has the conversation.
  await engine.register(handoff.plugin, undefined);
  bridgeHandoff(cluster, handoff.service, log);
  // kefu's other plugins, in their declared order, before any route or bot plugin (no late binding).
  const plugins = await wirePlugins({ engine, handoff: handoff.service, knowledge, bus: cluster, config });
  const slackAgents = wireSlackAgents(config, platform, handoff.service, log, cluster.leases);
  if ('off' in slackAgents) log.info({ channel: 'slack-agents' }, `slack agent threads off: ${slackAgents.off}`);
  else handoff.service.addAgentChannel(slackAgents);

  const trustProxy = parseTrustProxy(config.TRUST_PROXY); // X-Forwarded-* from these peers only (docs/security.md)
  // Path parameters (conversation keys: a channel and an id of up to 128 characters) fit in 512.
  const http = Fastify({ logger: false, bodyLimit: 1024 * 1024, routerOptions: { maxParamLength: 512 }, trustProxy, ...frameworkErrorOptions(log), ...lazySchemaCompilers() });
  addSecurityHeaders(http);
  installErrorHandlers(http, log);
  http.addHook('onResponse', async (req, reply) => {
    log.debug({ method: req.method, path: req.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http');
  });

  http.get('/healthz', async () => ({
    ok: true,
    version: VERSION,
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    store: storeKind,
    cluster: { mode: cluster.mode, instance: cluster.instanceId },
    audit: dailyAudit?.last(), // the last daily verification: { date, ok, verifiedAt, entries }
    ...(backups ? { backup: { lastAt: await backups.lastAt() } } : {}), // BACKUP_DIR's last daily copy (ms), for monitoring
    channels: ['web', ...platform.map((c) => c.name)],
  }));
  await http.register(webChatRoutes, {
    engine,
    web,
    serveUi: config.WEB_CHAT_ENABLED,
    limits: { perIp: config.WEB_RATE_LIMIT_PER_IP, perConversation: config.WEB_RATE_LIMIT_PER_CONVERSATION },
    limiter: cluster.rateLimiter,
    secret: secret.keyFor('event-ticket'),
    escalations,
    handoff: handoff.service, // the header's state, typing and "seen" (adapters/web/signals.ts)
  });
  await http.register(webhookRoutes, { channels: platform.filter(isWebhookChannel) });
  // One agent session for console, audit and analytics: one secret, one list of tokens revoked at logout.
  const staff = {
    engine,
    handoff: handoff.service,
    staff: await staffReady,
    secret: secret.keyFor('console-session'),
    revoked: await sharedRevocations(cluster, createRevokedTokens(), log),
    allowedOrigins: config.CONSOLE_ALLOWED_ORIGINS,
    failureCounts: cluster.failureCounts,
    trustProxy,
  };
  await http.register(consoleRoutes, { ...staff, serveUi: config.WEB_CHAT_ENABLED });
  await http.register(consoleTypingRoutes, staff); // typing and "seen" to the customer's page
  const dailyReports = wireDailyReports(config, { data, handoff: handoff.service }, wireSlackReportPoster(config, platform), log);
  const dailyAudit =
    config.AUDIT_VERIFY_AT === 'off'
      ? undefined
      : await startDailyAudit({
          data,
          dataDir: config.DATA_DIR,
          key: secret.keyFor('audit-digest'),
          at: parseDailyTime(config.AUDIT_VERIFY_AT),
          log,
          ...(dailyReports.afterDay ? { afterDay: dailyReports.afterDay } : {}),
        });
  await http.register(auditRoutes, { ...staff, ...(dailyAudit ? { daily: dailyAudit } : {}) });
  await http.register(consoleEraseRoutes, staff); // erasure on request (admins)
  const retentionPeriods = retentionPeriodsOf(config);
  const retention = retentionIsOn(retentionPeriods) ? startRetention({ data, periods: retentionPeriods, log, ...(overrides.now ? { now: overrides.now } : {}) }) : undefined; // daily, docs/privacy.md
  const backups = wireBackups(config, data, log); // daily copies of the SQLite store, docs/stores.md
  await http.register(reportRoutes, staff); // CSV exports (supervisors)
  await http.register(analyticsRoutes, { ...staff, analytics: plugins.analytics, intents: (locale) => classifier.intents(locale) }); // inbox labels must be known intents
  await http.register(consoleExperimentsRoutes, { ...staff, experiments: plugins.experiments }); // A/B experiments (docs/experiments.md)
  await http.register(consoleKbRoutes, { ...staff, knowledge, bus: cluster }); // editing the knowledge base
  await http.register(consoleQaRoutes, { ...staff, config }); // quality inspection of resolved handoffs (docs/quality.md)
  for (const plugin of bot.plugins ?? []) await engine.register(plugin, undefined);

  for (const c of platform) await c.start?.(engine);
  engine.delivery.start(); // what the outbox kept across a restart leaves now
  if (!('off' in slackAgents)) void slackAgents.catchUp(); // customer messages a support thread missed (adapters/slack/agent-relay.ts)
  dailyReports.start(); // a daily Slack report a failure or a restart left owed
  log.info({ ms: Date.now() - started, store: storeKind, channels: platform.length + 1 }, 'kefu ready');

  let closed: Promise<void> | undefined;
  return {
    http,
    listen: (opts = {}) => http.listen({ port: opts.port ?? config.PORT, host: opts.host ?? config.HOST }),
    inject: http.inject.bind(http) as FastifyInstance['inject'],
    engine,
    handoff: handoff.service,
    config,
    close() {
      closed ??= (async () => {
        await http.close();
        await retention?.stop();
        await backups?.stop();
        await engine.close();
        await cluster.close();
        dailyAudit?.stop();
        if (!('off' in slackAgents)) await slackAgents.stop();
      })();
      return closed;
    },
  };
}
