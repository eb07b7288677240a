/** "Cancel" / "never mind": drops whatever was in progress, including interrupted dialogs. */
import { defineDialog } from '../core';
import { topicButtons } from './topics';

export const cancel = defineDialog({
  id: 'cancel',
  triggers: ['cancel'],
  label: { en: 'Stop what we’re doing', zh: '取消当前操作' },
  // May interrupt any question, a free-text answer such as an address included.
  escape: true,
  texts: {
    en: {
      cancelled: 'OK, I’ve stopped that. Is there anything else I can do for you?',
      nothing: 'There’s nothing in progress to cancel. Is there anything I can help with?',
    },
    zh: {
      cancelled: '好的，已经帮您取消了。还有其他可以帮您的吗？',
      nothing: '目前没有正在办理的事项。请问有什么可以帮您？',
    },
  },
  run(ctx) {
    // The dialog this message interrupted is on the stack by now; cancelAll() drops it.
    const inProgress = ctx.session.stack.length > 0;
    ctx.cancelAll();
    ctx.say(inProgress ? 'cancelled' : 'nothing', {}, topicButtons(ctx));
  },
});
