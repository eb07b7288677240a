/** Lifecycle hooks: a closed list (Fastify's hooks). An unknown name throws KEFU_ERR_HOOK_UNKNOWN. */
import type { HandoffRequest, TurnContext } from './context';
import { KefuError } from './errors';
import type { OutboundMessage, ParsedInbound, TurnResult } from './model';

export const HOOKS = ['onInbound', 'preDialog', 'onReply', 'onHandoff', 'onTurnEnd', 'onError', 'onClose'] as const;
export type HookName = (typeof HOOKS)[number];

export interface HookSignatures {
  /** A validated message arrived (before dedupe and session load). */
  onInbound: (message: ParsedInbound) => void | Promise<void>;
  /** The session is loaded and the text classified; the dialog has not run yet. */
  preDialog: (ctx: TurnContext) => void | Promise<void>;
  /** A reply is about to be queued; the hook may edit it. */
  onReply: (ctx: TurnContext, reply: OutboundMessage) => void | Promise<void>;
  /** Something asked for a human in this turn. */
  onHandoff: (ctx: TurnContext, request: HandoffRequest) => void | Promise<void>;
  /** The turn was saved; `result` is what the channel will send. */
  onTurnEnd: (ctx: TurnContext, result: TurnResult) => void | Promise<void>;
  /** A turn failed; `ctx` is absent when it failed before the session was loaded. */
  onError: (error: Error, ctx?: TurnContext) => void | Promise<void>;
  /** The engine is closing. */
  onClose: () => void | Promise<void>;
}

export class HookRegistry {
  private readonly hooks = new Map<HookName, Array<(...args: never[]) => unknown>>();

  add<N extends HookName>(name: N, fn: HookSignatures[N]): void {
    if (!(HOOKS as readonly string[]).includes(name)) {
      throw new KefuError('KEFU_ERR_HOOK_UNKNOWN', `Unknown hook "${String(name)}"; use one of: ${HOOKS.join(', ')}.`);
    }
    const list = this.hooks.get(name) ?? [];
    list.push(fn as (...args: never[]) => unknown);
    this.hooks.set(name, list);
  }

  has(name: HookName): boolean {
    return (this.hooks.get(name)?.length ?? 0) > 0;
  }

  async run<N extends HookName>(name: N, ...args: Parameters<HookSignatures[N]>): Promise<void> {
    for (const fn of this.hooks.get(name) ?? []) await (fn as (...a: unknown[]) => unknown)(...args);
  }
}
