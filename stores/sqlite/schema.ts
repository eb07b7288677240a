/**
 * The tables, one per repository, and their indexes: each query a repository answers reads an index
 * (test/data/sqlite.test.ts checks the plans). Record bodies are JSON through the codec (sealed when
 * encryption is on); the columns lists filter and sort on stay readable.
 */
export const SCHEMA_V1 = `
CREATE TABLE kefu_conversations (
  key TEXT PRIMARY KEY NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID;
CREATE INDEX kefu_conversations_expiry ON kefu_conversations (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE kefu_messages (
  key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  author TEXT NOT NULL,
  at INTEGER NOT NULL,
  body TEXT NOT NULL,
  state TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  done_at INTEGER,
  PRIMARY KEY (key, seq)
);
CREATE INDEX kefu_messages_due ON kefu_messages (next_attempt_at, key) WHERE state = 'pending';
CREATE INDEX kefu_messages_lane ON kefu_messages (key, seq) WHERE state = 'pending';
CREATE INDEX kefu_messages_failed ON kefu_messages (done_at DESC, key DESC, seq DESC) WHERE state = 'failed';

CREATE TABLE kefu_handoffs (
  id TEXT PRIMARY KEY NOT NULL,
  key TEXT NOT NULL,
  state TEXT NOT NULL,
  active_key TEXT UNIQUE,
  agent_id TEXT,
  priority INTEGER NOT NULL,
  requested_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX kefu_handoffs_queue ON kefu_handoffs (priority DESC, requested_at, id) WHERE state = 'queued';
CREATE INDEX kefu_handoffs_key ON kefu_handoffs (key, requested_at DESC, id DESC);
CREATE INDEX kefu_handoffs_state ON kefu_handoffs (state, updated_at DESC, id DESC);
CREATE INDEX kefu_handoffs_agent ON kefu_handoffs (agent_id, updated_at DESC, id DESC) WHERE agent_id IS NOT NULL;
CREATE INDEX kefu_handoffs_requested ON kefu_handoffs (requested_at, id);
CREATE INDEX kefu_handoffs_load ON kefu_handoffs (agent_id) WHERE state = 'assigned';

CREATE TABLE kefu_handoff_links (
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  handoff_id TEXT NOT NULL,
  PRIMARY KEY (name, value, requested_at, handoff_id)
) WITHOUT ROWID;
CREATE INDEX kefu_handoff_links_owner ON kefu_handoff_links (handoff_id);

CREATE TABLE kefu_tickets (
  id TEXT PRIMARY KEY NOT NULL,
  key TEXT NOT NULL,
  status TEXT NOT NULL,
  assignee_id TEXT,
  priority INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX kefu_tickets_order ON kefu_tickets (priority DESC, created_at, id);
CREATE INDEX kefu_tickets_status ON kefu_tickets (status, priority DESC, created_at, id);
CREATE INDEX kefu_tickets_assignee ON kefu_tickets (assignee_id, priority DESC, created_at, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX kefu_tickets_key ON kefu_tickets (key, created_at DESC, id DESC) WHERE status IN ('open', 'pending');

CREATE TABLE kefu_counters (
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (scope, name)
) WITHOUT ROWID;

CREATE TABLE kefu_audit (
  seq INTEGER PRIMARY KEY NOT NULL,
  body TEXT NOT NULL
);

CREATE TABLE kefu_inbox (
  id TEXT PRIMARY KEY NOT NULL,
  status TEXT NOT NULL,
  status_rank INTEGER NOT NULL,
  prune_rank INTEGER,
  locale TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX kefu_inbox_order ON kefu_inbox (status_rank, count DESC, last_at DESC, id);
CREATE INDEX kefu_inbox_prune ON kefu_inbox (prune_rank, count, last_at, id) WHERE prune_rank IS NOT NULL;

CREATE TABLE kefu_meta (
  name TEXT PRIMARY KEY NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE kefu_seqs (
  name TEXT PRIMARY KEY NOT NULL,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;
