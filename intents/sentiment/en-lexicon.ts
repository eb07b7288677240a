/**
 * English customer-service anger and thanks lexicon (a flat table), added to nlp.js's senticon
 * score: senticon is a general lexicon and rates "worst service, I am furious" only mildly.
 */
import type { Lexicon } from './lexicon-scorer';

const NEGATIVE: Record<string, number> = {
  angry: -2.5, furious: -3, livid: -3, mad: -2, pissed: -3, 'pissed off': -3, annoyed: -2, irritated: -2, frustrated: -2.2, frustrating: -2.2, upset: -2,
  terrible: -2.5, horrible: -2.5, awful: -2.5, worst: -2.8, bad: -1.5, poor: -1.5, lousy: -2.2, pathetic: -2.8, disgusting: -2.8, disgraceful: -2.8, shameful: -2.5,
  ridiculous: -2.5, unacceptable: -2.8, outrageous: -2.8, absurd: -2.2, insane: -1.8, useless: -2.5, incompetent: -2.8, joke: -1.5, 'a joke': -2.2,
  scam: -3, scammed: -3, fraud: -3, cheated: -2.8, 'rip off': -2.8, ripoff: -2.8, robbed: -2.8, liars: -2.8, lied: -2.5, lying: -2.5, stole: -2.8,
  hate: -2.5, sick: -1, 'sick of': -2.8, 'fed up': -2.8, 'had enough': -2.5, 'waste of time': -2.5, 'waste of money': -2.5, wasted: -1.8, nightmare: -2.5,
  complaint: -2, complain: -2, complaining: -2, sue: -2.8, lawyer: -2.2, 'legal action': -2.8, report: -0.5, disappointed: -2.2, disappointing: -2.2, unhappy: -2.2,
  damn: -2, shit: -3, crap: -2.5, wtf: -3, fuck: -3, fucking: -2.5, stupid: -2.5, idiots: -3, idiot: -3, garbage: -2.5, trash: -2.5, rubbish: -2.5,
  never: -0.5, slow: -1, late: -1, broken: -1.5, damaged: -1.5, wrong: -1, still: -0.3, again: -0.3, 'still waiting': -1.8, ignored: -2.2, 'no one': -0.8,
  'still nothing': -2, 'nothing yet': -1.2, manager: -1, supervisor: -1, 'speak to a manager': -2, 'speak to a human': -1.2, 'real person': -1,
};

const POSITIVE: Record<string, number> = {
  thanks: 1.8, thank: 1.8, 'thank you': 2, thx: 1.5, appreciate: 2, appreciated: 2, great: 2, good: 1.2, nice: 1.5, excellent: 2.5, awesome: 2.5, amazing: 2.5,
  perfect: 2.5, love: 2.2, wonderful: 2.5, fantastic: 2.5, helpful: 2, happy: 2, glad: 1.8, pleased: 1.8, satisfied: 2, fast: 1, quick: 1, brilliant: 2.5, ok: 0.3,
};

export const EN_LEXICON: Lexicon = {
  words: { ...NEGATIVE, ...POSITIVE },
  negators: new Set(['not', 'no', "don't", 'dont', "isn't", "wasn't", "aren't", 'never', 'without', 'hardly', "didn't", 'didnt', "doesn't"]),
  intensifiers: { very: 1.4, so: 1.4, really: 1.4, extremely: 1.8, totally: 1.5, absolutely: 1.6, too: 1.3, super: 1.5, fucking: 1.8, damn: 1.5, incredibly: 1.7, completely: 1.5, utterly: 1.7, most: 1.3 },
  maxUnits: 3,
  sep: ' ',
};
