/** Migrations 4 and 5: the conversations a database already holds get their customer links; a conversation that is its own customer is kept out of the customer index. */
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

  it('migration 5 keeps a conversation that is its own customer out of the customer index, and still finds it', async () => {
    const db = new Database(':memory:');
    migrate(db, createRowReader({}), MIGRATIONS.slice(0, 4));
    const link = db.prepare('INSERT INTO kefu_customer_links (key, customer, active_at) VALUES (?, ?, ?)');
    link.run('web:v1', 'web:v1', 10); // a visitor: customer id = key
    link.run('web:c2', 'web:v1', 20);
    link.run('web:c3', 'web:u9', 30);
    const data = createSqliteData({ db });
    const rows = db.prepare('SELECT key, customer FROM kefu_customer_links ORDER BY key').all();
    assert.deepEqual(rows, [
      { key: 'web:c2', customer: 'web:v1' },
      { key: 'web:c3', customer: 'web:u9' },
      { key: 'web:v1', customer: null },
    ]);
    assert.deepEqual((await data.sessions.conversationsOf('web:v1')).items, ['web:c2', 'web:v1']);
    assert.deepEqual((await data.sessions.conversationsOf('web:u9')).items, ['web:c3']);
    const indexed = db.prepare('SELECT COUNT(*) AS n FROM kefu_customer_links INDEXED BY kefu_customer_links_customer WHERE customer IS NOT NULL').get();
    assert.deepEqual(indexed, { n: 2 });
    await data.close();
    db.close();
  });
});
