/**
 * What the story runner needs of an app, described structurally: the app `buildApp()` and
 * `createKefuApp()` return fits, and so does anything else with the same few members.
 */

/** An in-process HTTP request (Fastify's `inject`, light-my-request). */
export interface InjectRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: Record<string, unknown>;
  /** The client address the app sees (each story has its own, so per-address limits do not add up). */
  remoteAddress?: string;
}

export interface InjectResponse {
  statusCode: number;
  body: string;
}

/** The handoff as the runner reads it (a conversation's record) and resets it (agent statuses). */
export interface StoryHandoff {
  get(key: string): Promise<{ state: string; agentId?: string; csat?: number } | undefined>;
  agents(): Promise<ReadonlyArray<{ id: string; status: string }>>;
  setAgentStatus(agentId: string, status: 'online' | 'away' | 'offline'): Promise<unknown>;
  /** Resolves when queued handoff events and deliveries are done. */
  idle?(): Promise<void>;
}

export interface StoryApp {
  http: { inject(request: InjectRequest): Promise<InjectResponse> };
  handoff: StoryHandoff;
  /** Read for `bot: { intent }`: the intent stored with a customer message. */
  engine?: { data: { messages: { after(key: string, seq: number, limit: number): Promise<ReadonlyArray<{ seq: number; intent?: string }>> } } };
  /** Read for the console passwords (`CONSOLE_AGENTS`) when `passwords` is not given. */
  config?: { CONSOLE_AGENTS?: string | undefined };
}

export interface RunOptions {
  /** Console password by agent id; default: parsed from the app's `CONSOLE_AGENTS`. */
  passwords?: Readonly<Record<string, string>>;
  /** How long a step waits for a message or state that has not arrived yet (default 2000 ms). */
  waitMs?: number;
  /** Called after each story (progress output). */
  onStory?: (result: StoryResult) => void;
}

export interface StepFailure {
  /** 1-based. */
  step: number;
  /** The step as written (one line). */
  written: string;
  expected: string;
  got: string;
}

export interface StoryResult {
  name: string;
  file: string;
  passed: boolean;
  ms: number;
  failure?: StepFailure;
  /** What was said and done, up to the failing step (included). */
  transcript: ReadonlyArray<{ who: string; text: string }>;
}

export interface RunReport {
  passed: number;
  failed: number;
  results: StoryResult[];
}
