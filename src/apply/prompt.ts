// The CLI's "Keep these settings? Reverting in N s": one key on a terminal (y keeps, n/Esc/Ctrl-C
// revert now), one line on a pipe ("y" or "n"); end of input, the deadline or an abort mean revert.
// Whatever ends it, the terminal mode is put back.

export interface PromptStreams {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly write: (s: string) => void;
}

export function terminalConfirm(streams: PromptStreams): (timeoutSeconds: number, signal: AbortSignal) => Promise<boolean> {
  return (timeoutSeconds, signal) =>
    new Promise<boolean>((resolve) => {
      const { input, write } = streams;
      const tty = Boolean(input.isTTY && input.setRawMode);
      const deadline = Date.now() + timeoutSeconds * 1000;
      let buffered = '';
      let finished = false;
      const left = (): number => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      const show = (): void => {
        if (tty) write(`\rKeep these settings? Reverting in ${String(left()).padStart(3)} s  [y = keep, n = revert now] `);
      };
      const finish = (keep: boolean, why: string): void => {
        if (finished) return;
        finished = true;
        clearInterval(tick);
        input.off('data', onData);
        input.off('end', onEnd);
        signal.removeEventListener('abort', onAbort);
        if (tty) input.setRawMode?.(false);
        input.pause();
        write(`${tty ? '\n' : ''}${why}\n`);
        resolve(keep);
      };
      const onData = (chunk: Buffer | string): void => {
        const text = chunk.toString();
        if (tty) {
          for (const ch of text) {
            if (ch === 'y' || ch === 'Y') return finish(true, 'Kept.');
            if (ch === 'n' || ch === 'N' || ch === '\x1b' || ch === 'q') return finish(false, 'Reverting now.');
            if (ch === '\x03') return finish(false, 'Interrupted: reverting now.');
          }
          return;
        }
        buffered += text;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const answer = buffered.slice(0, nl).trim().toLowerCase();
          buffered = buffered.slice(nl + 1);
          if (answer === 'y' || answer === 'yes') return finish(true, 'Kept.');
          if (answer === 'n' || answer === 'no') return finish(false, 'Reverting now.');
        }
      };
      const onEnd = (): void => finish(false, 'No answer (input closed): reverting. Use --no-revert to keep a verified change without asking.');
      const onAbort = (): void => finish(false, 'No answer in time: reverting.');
      const tick = setInterval(show, 1000);
      write(tty ? '' : `Keep these settings? Reverting in ${timeoutSeconds} s. Answer y to keep, n to revert now.\n`);
      show();
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      if (tty) input.setRawMode?.(true);
      input.on('data', onData);
      input.on('end', onEnd);
      input.resume();
    });
}
