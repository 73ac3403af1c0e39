import { createQueryId, type Compilable, type CompiledQuery, type Kysely } from 'kysely';

/** Stands in for a call's argument while the query is compiled. */
class Placeholder {
  constructor(readonly index: number) {}
}

/**
 * Kysely builds and compiles a query on every call (a tree of frozen nodes walked into SQL); on the
 * API's hot reads that cost as much as SQLite running them. A hot query is compiled once, with
 * placeholders for its arguments, and each call runs that SQL with its own values in their places.
 *
 * `build` must hand every argument to Kysely as a value, unchanged: no arithmetic on it, no `??`,
 * no branching on it (give each shape of the query its own compiled query). An argument that does
 * not reach the parameters unchanged is refused here, when the query is compiled.
 */
export function compileOnce<DB, A extends readonly unknown[], O>(
  db: Kysely<DB>,
  build: (...args: A) => Compilable<O>,
): (...args: A) => Promise<O[]> {
  const placeholders = Array.from({ length: build.length }, (_, i) => new Placeholder(i));
  const compiled: CompiledQuery<O> = build(...(placeholders as unknown as A)).compile();
  const slots = compiled.parameters.map((p) => (p instanceof Placeholder ? p.index : -1));
  const missing = placeholders.filter((p) => !slots.includes(p.index));
  if (missing.length > 0) {
    throw new Error(
      `compileOnce: argument(s) ${missing.map((p) => p.index).join(', ')} of a query builder do not ` +
        `reach its parameters unchanged: ${compiled.sql}`,
    );
  }
  return async (...args) => {
    const parameters = slots.map((slot, i) => (slot < 0 ? compiled.parameters[i] : args[slot]));
    // A query id of its own per run: plugins key per-query state on it.
    const result = await db.executeQuery<O>({ ...compiled, queryId: createQueryId(), parameters });
    return result.rows;
  };
}
