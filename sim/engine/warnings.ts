/**
 * Run warnings: a combination of settings that cannot do what it says, or a state the run reached
 * that makes a setting moot (for example a dynamic policy whose limits made new positions
 * liquidatable at open). Each distinct warning is kept once, with the tick it was first seen at.
 */
export class Warnings {
  private readonly seen = new Map<string, string>();

  /** Records warning `code` (first occurrence wins); `tick` < 0 for a warning about the settings. */
  add(code: string, message: string, tick = -1): void {
    if (this.seen.has(code)) return;
    this.seen.set(code, tick >= 0 ? `${code} (first at tick ${tick}): ${message}` : `${code}: ${message}`);
  }

  /** Every warning, in the order first seen. */
  list(): string[] {
    return [...this.seen.values()];
  }
}
