/**
 * Recognizes constraint violations from both drivers: better-sqlite3 (`SQLITE_CONSTRAINT_*` codes)
 * and pg (SQLSTATE 23505 unique_violation, 23503 foreign_key_violation).
 */
function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('code' in error)) return '';
  return String((error as { code: unknown }).code);
}

export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** SQLite reports ON DELETE RESTRICT as SQLITE_CONSTRAINT_TRIGGER with a FOREIGN KEY message. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503') return true;
  return code.startsWith('SQLITE_CONSTRAINT') && error instanceof Error && /FOREIGN KEY/i.test(error.message);
}

export const nowIso = (): string => new Date().toISOString();
