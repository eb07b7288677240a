/**
 * nlp.js ships no type declarations. These shims declare exactly the parts kefu calls, so the
 * untyped library stays behind this file and `intents/nlp-pipeline.ts` (house style rule 12).
 */
declare module '@nlpjs/basic' {
  export interface NlpjsSentimentResult {
    sentiment: { score: number; numWords: number; numHits: number; average: number; vote: string };
  }
  export interface NlpjsStemmer {
    tokenizeAndStem(text: string, keepStopwords?: boolean): string[];
    stemWord(word: string): string;
  }
  export interface NlpjsTokenizer {
    tokenize(text: string, normalize?: boolean): string[];
  }
  export interface NlpjsNormalizer {
    normalize(text: string): string;
  }
  export interface NlpjsContainer {
    use(plugin: unknown): void;
    get(name: string): unknown;
  }
  export function containerBootstrap(): Promise<NlpjsContainer>;
  export const LangEn: unknown;
  export class Nlp {
    constructor(settings: { container: NlpjsContainer; languages: string[]; log: boolean; autoSave: boolean; nlu?: { log: boolean } });
    getSentiment(locale: string, utterance: string): Promise<NlpjsSentimentResult>;
  }
}
