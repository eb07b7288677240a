/** Runs every repository's conformance suite against one backend. */
import { createSuiteContext, type DataFactory, type SuiteOptions } from './harness';
import { handoffSuite } from './suites/handoffs';
import { messageSuite } from './suites/messages';
import { retentionSuite } from './suites/retention';
import { sessionSuite } from './suites/sessions';
import { smallRepoSuite } from './suites/small-repos';

export function runDataSuites(name: string, factory: DataFactory, opts: SuiteOptions = {}): void {
  describe(`data conformance: ${name}`, () => {
    const ctx = createSuiteContext(factory, opts);
    sessionSuite(ctx);
    messageSuite(ctx);
    handoffSuite(ctx);
    smallRepoSuite(ctx);
    retentionSuite(ctx);
  });
}
