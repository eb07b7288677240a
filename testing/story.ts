/**
 * A conversation story as the runner reads it (docs/stories.md): who says what, what the customer
 * must see, and what the agents do. Parsed and checked from YAML or JSON by parse-story.ts.
 */
import type { Pattern } from './pattern';

export type StoryLocale = 'en' | 'zh';
export type HandoffStateName = 'none' | 'queued' | 'assigned' | 'resolved' | 'ticket' | 'cancelled';
export type AgentStatusName = 'online' | 'away' | 'offline';
/** Who wrote a message the customer sees. */
export type Speaker = 'bot' | 'system' | 'agent';

export interface Story {
  name: string;
  /** The file it came from (for the report). */
  file: string;
  /** Sent with every customer message; absent: the bot detects the language. */
  locale?: StoryLocale;
  /** Only `web` for now: stories drive the web chat's HTTP API. */
  channel: 'web';
  steps: WrittenStep[];
}

/** The customer types `says`, or presses the quick reply whose label matches `press`. */
export interface CustomerStep {
  kind: 'customer';
  says?: string;
  press?: Pattern;
}

/** What the customer must see next (skipping messages nobody checked), and the last message's intent. */
export interface SeeStep {
  kind: 'bot' | 'customer_sees';
  text?: Pattern;
  /** Buttons the message must offer (each label matched by a pattern). */
  quickReplies?: Pattern[];
  /** For `bot`: the intent the last customer message was classified as. */
  intent?: string;
  /** For `bot`: the last customer message got no answer at all. */
  silent?: boolean;
  /** For `customer_sees`: only messages by this speaker count. */
  from?: Speaker;
}

export interface HandoffStep {
  kind: 'handoff';
  state: HandoffStateName;
  /** The agent the conversation is with. */
  agent?: string;
}

/** Staff actions through the console API, done in this order: status, claim, says, note, resolve. */
export interface AgentStep {
  kind: 'agent';
  /** Which agent acts (logged in with their console password); later agent steps keep them. */
  as: string;
  status?: AgentStatusName;
  claim?: boolean;
  says?: string;
  note?: string;
  resolve?: boolean;
}

/** The customer presses the rating button (1-5) of the satisfaction question; the handoff must record it. */
export interface CsatStep {
  kind: 'csat';
  score: number;
}

export type Step = CustomerStep | SeeStep | HandoffStep | AgentStep | CsatStep;
/** A step with how it was written, on one line (`bot: /order number/`), for reports. */
export type WrittenStep = Step & { written: string };

/** One line of what happened, as a failure report shows it. */
export interface TranscriptLine {
  who: string;
  text: string;
}
