/** What a seed reports through: where its lines go, and the progress line it keeps up to date while writing. */

/** Takes one line of a seed's report. */
export type Say = (line: string) => void;

/**
 * A single line rewritten in place when stdout is a terminal; in logs and CI,
 * one plain line per batch (`seed: products 200/313`), since `\r` would garble them.
 */
export class Progress {
  private readonly tty = process.stdout.isTTY === true;
  private drawn = false;
  constructor(private readonly say: Say) {}

  update(label: string, done: number, total: number): void {
    const line = `seed: ${label} ${done}/${total}`;
    if (!this.tty) {
      this.say(line);
      return;
    }
    process.stdout.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) process.stdout.write("\r\x1b[2K");
    this.drawn = false;
  }
}
