import { inspect } from 'node:util';

export const REDACTED = '[REDACTED]';

/**
 * A value that prints as `[REDACTED]` however it is printed: String(), template literals,
 * JSON.stringify, console.log/util.inspect. The value itself is in a private field and comes out
 * only through `reveal()`, so reading a secret is always an explicit, greppable act.
 */
export class Sensitive<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export const sensitive = <T>(value: T): Sensitive<T> => new Sensitive(value);
