/** A separate process appending to the audit log in a SQLite file (see log.test.ts): argv = path, count, actor. */
import { createAuditLog } from '../../plugins/audit';
import { createSqliteData } from '../../stores/sqlite';

async function main(): Promise<void> {
  const [path, count, actor] = process.argv.slice(2) as [string, string, string];
  const data = createSqliteData({ path });
  const audit = createAuditLog({ data });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve())); // start together
  for (let i = 0; i < Number(count); i++) await audit.append({ actor, action: 'note', target: `test:${actor}-${i}` });
  await data.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
