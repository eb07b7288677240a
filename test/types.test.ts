/** Runs the compile-only type tests in test/types (the bot author's autocompletion and errors). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('types', function () {
  this.timeout(120_000);
  it('the dialog API types accept what they should and reject what they should not', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'test/types/tsconfig.json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc reported:\n${r.stdout}${r.stderr}`);
  });
});
