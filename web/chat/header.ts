/**
 * The header's status line: who answers now (the assistant, the queue with the customer's place,
 * an agent by name, an open ticket), or "Reconnecting…" while the event stream is down. A live
 * region, so a screen reader hears "With Anna" when an agent takes over.
 */
import type { Locale } from '../../core/model';
import type { EventsState } from './api';
import { t } from './i18n';
import type { ChatState } from './parse';

export interface Header {
  connection(state: EventsState): void;
  state(state: ChatState): void;
  locale(locale: Locale): void;
  /** Who answers now, as last told. */
  readonly current: ChatState;
}

function describe(locale: Locale, s: ChatState): string {
  switch (s.mode) {
    case 'queued':
      return s.position ? t(locale, 'queuedAt', { position: s.position }) : t(locale, 'queued');
    case 'agent':
      return t(locale, 'withAgent', { name: s.agentName });
    case 'ticket':
      return t(locale, 'ticket', { ticket: s.ticketId });
    default:
      return t(locale, 'status');
  }
}

export function createHeader(status: HTMLElement, initial: Locale): Header {
  let connection: EventsState = 'open';
  let current: ChatState = { mode: 'bot' };
  let locale = initial;
  const render = () => {
    const text = connection === 'open' ? describe(locale, current) : t(locale, 'reconnecting');
    if (status.textContent !== text) status.textContent = text;
    status.dataset.state = connection === 'open' ? current.mode : 'reconnecting';
    status.classList.toggle('header__status--offline', connection !== 'open');
  };
  render();
  return {
    connection(s) {
      connection = s;
      render();
    },
    state(s) {
      current = s;
      render();
    },
    locale(l) {
      locale = l;
      render();
    },
    get current() {
      return current;
    },
  };
}
