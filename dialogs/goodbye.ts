/** Goodbye ends whatever was in progress; thanks just acknowledges (an interrupted question resumes). */
import { defineDialog } from '../core';

export const goodbye = defineDialog({
  id: 'goodbye',
  triggers: ['goodbye'],
  label: { en: 'Say goodbye', zh: '结束对话' },
  // May interrupt any question, a free-text answer such as an address included.
  escape: true,
  texts: {
    en: { bye: 'Thanks for stopping by Lumen & Co. Have a lovely day, and come back any time!' },
    zh: { bye: '感谢您光临流明商城，祝您生活愉快！有需要随时来找我。' },
  },
  run(ctx) {
    ctx.cancelAll();
    ctx.say('bye');
  },
});

export const thanks = defineDialog({
  id: 'thanks',
  triggers: ['thanks'],
  label: { en: 'Say thanks', zh: '致谢' },
  texts: {
    en: { welcome: 'You’re welcome! Is there anything else I can help with?' },
    zh: { welcome: '不客气！还有什么可以帮您的吗？' },
  },
  run(ctx) {
    ctx.say('welcome');
  },
});
