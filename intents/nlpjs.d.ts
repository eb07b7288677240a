/**
 * nlp.js ships no type declarations. These shims declare exactly the parts kefu calls, so the
 * untyped library stays behind this file and `intents/text-pipeline.ts` (house style rule 12).
 */
declare module '@nlpjs/core' {
  export interface NlpjsSentimentResult {
    sentiment: { score: number; numWords: number; numHits: number; average: number; vote: string };
  }
  export interface NlpjsSentimentAnalyzer {
    process(input: { utterance: string; locale: string }): Promise<NlpjsSentimentResult>;
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
  export function containerBootstrap(): NlpjsContainer;
}

declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}

declare module '@nlpjs/sentiment' {
  export const SentimentAnalyzer: unknown;
}
