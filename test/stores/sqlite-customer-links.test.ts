/** Migration 4 links the conversations whose sessions a database already holds to their customers. */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createRowReader } from '../../core/data';
import { newSession } from '../../core/session';
import { createSqliteData, MIGRATIONS } from '../../stores/sqlite';
import { migrate } from '../../stores/sqlite/migrations';

describe('SQLite migration 4: customer links', () => {
  it('links each stored session’s conversation to its customer; an unreadable session is left to its key', async () => {
    const db = new Database(':memory:');
    migrate(db, createRowReader({}), MIGRATIONS.slice(0, 3));
    const insert = db.prepare('INSERT INTO kefu_conversations (key, body, version, updated_at) VALUES (?, ?, 1, ?)');
    insert.run('web:c1', JSON.stringify(newSession({ channel: 'web', conversationId: 'c1', userId: 'u42' }, 1)), 10);
    insert.run('telegram:7', JSON.stringify(newSession({ channel: 'telegram', conversationId: '7', userId: '7' }, 1)), 20);
    insert.run('web:broken', '{not json', 30);
    const data = createSqliteData({ db });
    assert.deepEqual((await data.sessions.conversationsOf('web:u42')).items, ['web:c1']);
    assert.deepEqual((await data.sessions.conversationsOf('telegram:7')).items, ['telegram:7']);
    assert.equal(await data.sessions.deleteLinksOlderThan(15, 10), 1, 'the link carries the session’s last write time');
    await data.close();
    db.close();
  });
});
