/**
 * The built-in QA rules (docs/quality.md), used where QA_RULES_FILE leaves a list out. A phrase is
 * matched case-insensitively as words; "/…/" is a regular expression (flags i and u).
 */
import type { Locale } from '../../core';
import type { QaFlagCode } from './types';

export type PhraseLists = Record<Locale, readonly string[]>;

/** Promises the business cannot keep, and rudeness. */
export const DEFAULT_FORBIDDEN: PhraseLists = {
  en: [
    'guaranteed refund today',
    '/\\bguarantee[ds]?\\b[^.!?]{0,40}\\b(refund|money back|compensation|deliver|arrive)/',
    '/\\b(refund|money back)\\b[^.!?]{0,30}\\bguaranteed\\b/',
    '/\\b(i|we) promise\\b/',
    '/\\b100 ?(%|percent)[^.!?]{0,30}\\b(refund|money back|compensat)/',
    '/\\bwill (definitely|certainly|surely) (get|receive|have) (a |your )?(full )?(refund|compensation)/',
    'not my problem',
    'not my job',
    'calm down',
    'shut up',
    "/\\b(it'?s|that'?s) your (own )?fault\\b/",
    '/\\b(stupid|idiot|dumb)\\b/',
    '/\\bdeal with it\\b/',
  ],
  zh: [
    '保证今天退款',
    '/保证.{0,10}(退款|赔偿|到账|送达|到货)/',
    '/(肯定|一定|绝对)(会|能|给您|帮您)?.{0,6}(退款|赔偿|到账)/',
    '/承诺.{0,10}(退款|赔偿|到货|送达)/',
    '/百分之百.{0,8}(退款|赔偿)/',
    '不关我的事',
    '不归我管',
    '你自己看',
    '爱买不买',
    '/你(有病|傻|笨)/',
    '别烦',
    '自己的问题',
  ],
};

export const DEFAULT_GREETINGS: PhraseLists = {
  en: [
    '/\\b(hi|hello|hey|good (morning|afternoon|evening))\\b/',
    '/\\bthanks? (you )?for (waiting|your patience|holding|contacting)/',
    '/\\bmy name is\\b/',
    "/\\b(this is|i'?m|i am) \\w+ (from|with|here)\\b/",
    '/\\bwelcome\\b/',
  ],
  zh: ['您好', '你好', '很高兴为您服务', '/感谢您?的?(耐心)?等待/', '/我是.{0,8}客服/', '欢迎'],
};

export const DEFAULT_CLOSINGS: PhraseLists = {
  en: [
    '/\\banything else\\b/',
    '/\\bhave a (nice|good|great|lovely|wonderful) (day|evening|weekend|one|night)\\b/',
    '/\\b(good)?bye\\b/',
    '/\\bthank(s| you) for (contacting|reaching out|your patience|shopping|choosing|waiting)/',
    '/\\btake care\\b/',
    '/\\bglad (i|we) could help\\b/',
  ],
  zh: ['还有其他', '还有什么', '祝您', '再见', '/感谢您的(咨询|支持|理解|耐心)/', '欢迎再次', '很高兴能帮到您'],
};

/** Messages that need no answer: a customer message made only of these (and punctuation). */
export const DEFAULT_ACKNOWLEDGEMENTS: PhraseLists = {
  en: [
    'ok',
    'okay',
    'k',
    'thanks',
    'thank you',
    'thx',
    'ty',
    'so much',
    'very much',
    'great',
    'cool',
    'got it',
    'perfect',
    'fine',
    'alright',
    'sure',
    'yes',
    'yep',
    'no',
    'nope',
    'bye',
    'goodbye',
    "that's all",
    'that is all',
    'nothing else',
    'awesome',
  ],
  zh: ['好的', '好吧', '好', '嗯', '哦', '谢谢你', '谢谢您', '谢谢', '多谢', '收到', '明白了', '明白', '知道了', '行', '可以', '没有了', '没有', '不用了', '再见', '拜拜'],
};

/** Points a flag takes off 100. */
export const DEFAULT_WEIGHTS: Readonly<Record<QaFlagCode, number>> = {
  first_response_slow: 15,
  reply_slow: 10,
  unanswered: 25,
  sentiment_worse: 15,
  forbidden_phrase: 30,
  no_greeting: 5,
  no_closing: 5,
};

/** How far the customer's mean sentiment must fall (and end at or under −0.25) to flag sentiment_worse. */
export const DEFAULT_SENTIMENT_DROP = 0.3;
