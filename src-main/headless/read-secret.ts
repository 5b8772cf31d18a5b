/**
 * Reads a secret without it ever appearing on screen, in argv or in shell history: piped stdin is
 * read whole; an interactive terminal is switched to raw mode so keystrokes are not echoed.
 */
type Stdin = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

export function readSecretFromStdin(stdin: Stdin, prompt: { write(s: string): unknown }, promptText: string): Promise<string> {
  if (stdin.isTTY && stdin.setRawMode) return readHidden(stdin, prompt, promptText);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stdin.on('data', (c: Buffer | string) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
    stdin.once('end', () => resolve(stripFinalNewline(Buffer.concat(chunks).toString('utf8'))));
    stdin.once('error', reject);
  });
}

export function stripFinalNewline(s: string): string {
  return s.replace(/\r?\n$/, '');
}

function readHidden(stdin: Stdin, prompt: { write(s: string): unknown }, promptText: string): Promise<string> {
  return new Promise((resolve, reject) => {
    prompt.write(promptText);
    let value = '';
    stdin.setRawMode!(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (err?: Error) => {
      stdin.setRawMode!(false);
      stdin.pause();
      stdin.off('data', onData);
      prompt.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new Error('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
