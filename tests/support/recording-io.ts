/**
 * A CliIo for in-process runs of `main()` that records what is printed; `printed(text)` resolves
 * with the whole stdout once it contains `text` (a server's URL, a ready line).
 */
import type { CliIo } from '../../src/cli/io.js';

export function recordingIo(env: NodeJS.ProcessEnv, cwd: string, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const waiters: Array<{ text: string; resolve: (all: string) => void }> = [];
  const io: CliIo = {
    stdout: (t) => {
      out.push(t);
      const all = out.join('\n');
      for (const w of waiters.filter((w) => all.includes(w.text))) w.resolve(all);
    },
    stderr: (t) => err.push(t),
    env,
    cwd,
    isTTY: false,
    ...(signal ? { signal } : {}),
  };
  const printed = (text: string) =>
    new Promise<string>((resolve) => {
      if (out.join('\n').includes(text)) resolve(out.join('\n'));
      else waiters.push({ text, resolve });
    });
  return { io, out, err, printed };
}
