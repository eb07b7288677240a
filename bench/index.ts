/** `npm run bench <name>`: runs one benchmark (`nlu`, `triggers`, `e2e`), or lists them. */
import * as e2e from './e2e';
import * as nlu from './nlu';
import * as triggers from './triggers';
import { runSpread } from './spread';
import { runTurnCost } from './turn-cost';

const BENCHES: Record<string, { summary: string; run(argv: string[]): Promise<number> }> = {
  nlu: { summary: 'intent classifier on the public datasets in ../shared/nlu-bench (or NLU_BENCH_DIR)', run: nlu.run },
  triggers: { summary: 'escalation triggers (explicit request, anger): precision/recall per language on test/fixtures/triggers', run: triggers.run },
  turn: {
    summary: 'one web turn in-process (inject, no client): CPU µs, bytes written and allocated per message; --concurrency --messages --rounds',
    run: runTurnCost,
  },
  spread: { summary: 'object literals that begin with a spread ({ ...a, b }) against withFields: ns and old-generation bytes per object', run: runSpread },
  e2e: { summary: 'web chat API under load (msgs/s, per core, latency, RSS); --compare botbuilder, --cpu-prof, --storage N; e2e --help', run: e2e.run },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name ? BENCHES[name] : undefined;
  if (!bench) {
    const list = Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(10)}${b.summary}`);
    process.stdout.write(`usage: npm run bench <name> [options]\n\n${list.join('\n')}\n`);
    return name ? 2 : 0;
  }
  return bench.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
