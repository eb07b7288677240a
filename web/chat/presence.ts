/**
 * What the customer sees of the agent between messages, and what the agent sees of the customer:
 * the agent's typing (shown for a few seconds after each signal, gone when their message arrives),
 * "Seen" under the customer's last message the agent has seen, and the customer's own typing
 * reported to the agent at most once every 3 s while a person is there (queued or with an agent).
 */
import type { Locale } from '../../core/model';
import { t } from './i18n';

const AGENT_TYPING_SHOWN_MS = 6_000;
const REPORT_EVERY_MS = 3_000;

export interface AgentTyping {
  show(name: string, locale: Locale): void;
  hide(): void;
}

export function createAgentTyping(box: HTMLElement, label: HTMLElement, onShow: () => void): AgentTyping {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hide = () => {
    clearTimeout(timer);
    box.hidden = true;
  };
  return {
    show(name, locale) {
      label.textContent = t(locale, 'agentTyping', { name });
      box.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(hide, AGENT_TYPING_SHOWN_MS);
      onShow();
    },
    hide,
  };
}

/** Puts "Seen" under the customer's last message with a seq up to `seq` (one mark on the page). */
export function markSeen(list: HTMLElement, seq: number, locale: Locale): void {
  const mine = Array.from(list.querySelectorAll<HTMLElement>('.msg--customer[data-seq]')).filter((li) => Number(li.dataset.seq) <= seq);
  const last = mine.at(-1);
  if (!last || last.querySelector('.msg__seen')) return;
  for (const old of list.querySelectorAll('.msg__seen')) old.remove();
  const mark = document.createElement('span');
  mark.className = 'msg__seen';
  mark.dataset.i18n = 'seen';
  mark.textContent = t(locale, 'seen');
  last.querySelector('.msg__meta')?.appendChild(mark);
}

/** Returns the input listener: reports typing when `shouldReport()` (a person is there), at most once per 3 s. */
export function typingReporter(report: () => void, shouldReport: () => boolean, now: () => number = Date.now): () => void {
  let last = 0;
  return () => {
    if (!shouldReport() || now() - last < REPORT_EVERY_MS) return;
    last = now();
    report();
  };
}
