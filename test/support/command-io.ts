/** A CLI command's stdout and stderr (cli/commands' CommandIo), captured as text for assertions. */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const into = (lines: string[]) => ({ write: (s: string) => lines.push(s) });
  return { io: { stdout: into(out), stderr: into(err) }, out: () => out.join(''), err: () => err.join('') };
}
