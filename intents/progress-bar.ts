/**
 * A one-line progress bar for the CLI: redrawn in place on a TTY, plain lines (every 10 %) when
 * stderr is a pipe or a file, so CI logs stay readable.
 */
export interface ProgressSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgressBar {
  update(label: string, done: number, total: number): void;
  /** Ends the current line (if any). */
  done(): void;
}

export function createProgressBar(out: ProgressSink, width = 30): ProgressBar {
  let lastLabel = '';
  let lastStep = -1;
  let open = false;
  return {
    update(label, done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      if (out.isTTY) {
        const filled = Math.round(ratio * width);
        out.write(`\r${label.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%`);
        open = true;
        return;
      }
      const step = Math.floor(ratio * 10);
      if (label === lastLabel && step === lastStep) return;
      lastLabel = label;
      lastStep = step;
      out.write(`${label}: ${step * 10}%\n`);
    },
    done() {
      if (open) out.write('\n');
      open = false;
      lastLabel = '';
      lastStep = -1;
    },
  };
}
