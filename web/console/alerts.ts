/**
 * Alerts for agents who are looking elsewhere: a short tone (Web Audio: no media file, nothing
 * for the CSP to allow), a system notification (the Notification API; permission is asked when
 * the agent presses the bell, a user gesture as browsers require), the unread count in the tab's
 * title, and the same words in a polite live region for screen readers. A missed first-response
 * target (SLA) rings a distinct, more insistent tone. Sound plays once any gesture unlocked it
 * (browsers require one); notifications follow the Alerts button.
 */
import { dt } from './desk-i18n';

let audio: AudioContext | undefined;
const baseTitle = document.title;

/** Unlocks sound (browsers allow it after a gesture) and asks for notifications. */
async function enable(): Promise<void> {
  audio ??= new AudioContext();
  await audio.resume().catch(() => undefined);
  if ('Notification' in window && Notification.permission === 'default') await Notification.requestPermission();
  label();
}

function label(): void {
  const button = document.getElementById('alerts');
  if (!button) return;
  const permission = 'Notification' in window ? Notification.permission : 'denied';
  button.dataset.state = permission;
  const text = permission === 'granted' ? dt('alertsOn') : permission === 'denied' ? dt('alertsBlocked') : dt('alertsOff');
  button.textContent = text;
  button.setAttribute('aria-pressed', String(permission === 'granted'));
}

/** `chime`: something new (two rising notes, 0.3 s); `urgent`: a missed SLA (four alternating notes, 0.8 s, a little louder). */
export type AlertTone = 'chime' | 'urgent';

const TONES: Record<AlertTone, { notes: number[]; step: number; volume: number }> = {
  chime: { notes: [880, 1320], step: 0.15, volume: 0.15 },
  urgent: { notes: [988, 740, 988, 740], step: 0.2, volume: 0.25 },
};

function ring(tone: AlertTone): void {
  if (audio?.state !== 'running') return;
  const t = audio.currentTime;
  const { notes, step, volume } = TONES[tone];
  for (const [i, freq] of notes.entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(volume, t + i * step);
    gain.gain.exponentialRampToValueAtTime(0.001, t + i * step + step - 0.01);
    osc.connect(gain).connect(audio.destination);
    osc.start(t + i * step);
    osc.stop(t + i * step + step);
  }
}

/** Sound, notification and live region for one alert (`tag` folds repeated notifications of one conversation). */
export function alertAgent(text: string, tag: string, tone: AlertTone = 'chime'): void {
  const live = document.getElementById('alert-live');
  if (live) {
    live.textContent = text;
    live.dataset.count = String(Number(live.dataset.count ?? 0) + 1);
  }
  ring(tone);
  if ('Notification' in window && Notification.permission === 'granted') {
    const n = new Notification(baseTitle.split(' · ')[0] ?? 'kefu', { body: text, tag });
    n.onclick = () => window.focus();
  }
}

/** "(3) kefu · …" while 3 things are unread. */
export function setTitleCount(n: number): void {
  document.title = n > 0 ? `(${n}) ${baseTitle}` : baseTitle;
}

export function mountAlerts(): { relabel(): void } {
  document.getElementById('alerts')?.addEventListener('click', () => void enable());
  // Any first gesture unlocks the sound; notifications wait for the bell.
  const unlock = () => {
    audio ??= new AudioContext();
    void audio.resume().catch(() => undefined);
  };
  document.addEventListener('pointerdown', unlock, { once: true });
  document.addEventListener('keydown', unlock, { once: true });
  label();
  return { relabel: label };
}
