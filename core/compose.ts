import type { Middleware, TurnContext } from './context';
import { KefuError } from './errors';

/** Chains middleware around `inner` (Koa/grammY style). Calling `next` twice throws. */
export function compose(middleware: readonly Middleware[], inner: (ctx: TurnContext) => Promise<void>): (ctx: TurnContext) => Promise<void> {
  return (ctx) => {
    const dispatch = async (i: number): Promise<void> => {
      if (i === middleware.length) return inner(ctx);
      let called = false;
      await (middleware[i] as Middleware)(ctx, () => {
        if (called) throw new KefuError('KEFU_ERR_MIDDLEWARE_NEXT_TWICE', `Middleware #${i} called next() twice; call it once and await it.`);
        called = true;
        return dispatch(i + 1);
      });
    };
    return dispatch(0);
  };
}
