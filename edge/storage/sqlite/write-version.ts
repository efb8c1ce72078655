/**
 * EDGE-AUTH-10: a number that moves with every write to a table family, so caches of what was
 * read from it (verified credentials, permission targets) can tell they may be out of date. A
 * failed write moves it too: the cautious side.
 */
export class WriteVersion {
  #value = 0;

  get value(): number {
    return this.#value;
  }

  around<T>(write: () => T): T {
    try {
      return write();
    } finally {
      this.#value++;
    }
  }
}
