/**
 * The input area: Enter sends, Shift+Enter (or IME composition) does not, the box grows with the
 * text, the send button is off while the box is blank, and a counter appears near the length limit.
 */
export interface Composer {
  /** Puts text back (after the server refused it) without overwriting what the customer typed since. */
  restore(text: string): void;
  focus(): void;
  /** Shows a message under the box (role=alert), or clears it. */
  alert(message: string | undefined): void;
  refresh(): void;
}

/** The server's limit (core MAX_TEXT_LENGTH). Only used for the counter; the server has the last word. */
const SOFT_LIMIT = 4000;
const COUNTER_FROM = 3600;
const MAX_HEIGHT_PX = 140;

export interface ComposerElements {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  counter: HTMLElement;
  alert: HTMLElement;
}

export function createComposer(els: ComposerElements, onSend: (text: string) => void): Composer {
  const { form, input, send, counter } = els;

  const refresh = () => {
    const n = input.value.length;
    send.disabled = input.value.trim() === '';
    counter.hidden = n < COUNTER_FROM;
    counter.textContent = `${n} / ${SOFT_LIMIT}`;
    counter.classList.toggle('composer__counter--over', n > SOFT_LIMIT);
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
  };

  const submit = () => {
    const text = input.value;
    if (text.trim() === '') return;
    input.value = '';
    composer.alert(undefined);
    refresh();
    onSend(text);
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', refresh);

  const composer: Composer = {
    restore(text) {
      if (input.value.trim() === '') input.value = text;
      refresh();
      input.focus();
    },
    focus: () => input.focus(),
    alert(message) {
      els.alert.hidden = !message;
      els.alert.textContent = message ?? '';
    },
    refresh,
  };
  refresh();
  return composer;
}
