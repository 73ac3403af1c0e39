import { sql, type Kysely, type Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { Database, LogChunksTable, LogStream } from './schema.js';
import { compileOnce } from './compiled-query.js';
import { isForeignKeyViolation, isUniqueViolation, nowIso } from './sql-errors.js';
import { workflowNotFound } from './workflows-repo.js';

export interface LogChunk {
  workflowId: string;
  /** 1, 2, 3 … per workflow, in append order. */
  seq: number;
  target: string | null;
  step: string | null;
  stream: LogStream;
  at: string;
  /** Already redacted by the caller. */
  text: string;
}

export interface NewLogChunk {
  target?: string | null;
  step?: string | null;
  stream: LogStream;
  text: string;
  /** ISO-8601; default now. */
  at?: string;
}

export interface LogQuery {
  /** Chunks with a greater seq (for `--follow`). */
  afterSeq?: number;
  /** Default: all. */
  limit?: number;
}

const toChunk = (row: Selectable<LogChunksTable>): LogChunk => ({
  workflowId: row.workflow_id,
  seq: Number(row.seq),
  target: row.target,
  step: row.step,
  stream: row.stream,
  at: row.at,
  text: row.text,
});

/** Appenders racing on one workflow (other processes, PostgreSQL) retry on the primary key. */
const MAX_ATTEMPTS = 20;

export class LogsRepo {
  /** Per-workflow tail of this process's appends: keeps them in call order without retries. */
  private readonly tails = new Map<string, Promise<unknown>>();

  /** The reads behind every log tail, replay and follow: compiled once. */
  private readonly after;
  private readonly afterLimited;
  private readonly last;
  private readonly newest;

  constructor(private readonly db: Kysely<Database>) {
    const chunksAfter = (workflowId: string, afterSeq: number) =>
      db
        .selectFrom('log_chunks')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .where('seq', '>', afterSeq)
        .orderBy('seq');
    this.after = compileOnce(db, chunksAfter);
    this.afterLimited = compileOnce(db, (workflowId: string, afterSeq: number, limit: number) =>
      chunksAfter(workflowId, afterSeq).limit(limit),
    );
    this.newest = compileOnce(db, (workflowId: string, limit: number) =>
      db
        .selectFrom('log_chunks')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .orderBy('seq', 'desc')
        .limit(limit),
    );
    this.last = compileOnce(db, (workflowId: string) =>
      db
        .selectFrom('log_chunks')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('workflow_id', '=', workflowId),
    );
  }

  /**
   * Appends a chunk and returns its seq. The seq is computed by the INSERT itself
   * (`max(seq) + 1` of the workflow, one statement), so it is gap-free and ordered; a concurrent
   * appender in another process that took the same seq makes this one retry.
   */
  append(workflowId: string, chunk: NewLogChunk): Promise<number> {
    const previous = this.tails.get(workflowId) ?? Promise.resolve();
    const run = previous.then(() => this.insert(workflowId, chunk));
    const tail = run.catch(() => undefined);
    this.tails.set(workflowId, tail);
    void tail.then(() => {
      if (this.tails.get(workflowId) === tail) this.tails.delete(workflowId);
    });
    return run;
  }

  private async insert(workflowId: string, chunk: NewLogChunk): Promise<number> {
    const at = chunk.at ?? nowIso();
    for (let attempt = 1; ; attempt += 1) {
      try {
        const row = await this.db
          .insertInto('log_chunks')
          .columns(['workflow_id', 'seq', 'target', 'step', 'stream', 'at', 'text'])
          .expression((eb) =>
            eb
              .selectFrom('log_chunks')
              .where('workflow_id', '=', workflowId)
              .select([
                sql<string>`cast(${workflowId} as text)`.as('workflow_id'),
                sql<number>`coalesce(max(seq), 0) + 1`.as('seq'),
                sql<string>`cast(${chunk.target ?? null} as text)`.as('target'),
                sql<string>`cast(${chunk.step ?? null} as text)`.as('step'),
                sql<string>`cast(${chunk.stream} as text)`.as('stream'),
                sql<string>`cast(${at} as text)`.as('at'),
                sql<string>`cast(${chunk.text} as text)`.as('text'),
              ]),
          )
          .returning('seq')
          .executeTakeFirstOrThrow();
        return Number(row.seq);
      } catch (error) {
        if (isForeignKeyViolation(error)) throw workflowNotFound(workflowId);
        if (!isUniqueViolation(error)) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          throw new AutomatosError(
            'AUT_STORE',
            `Could not append a log chunk to workflow "${workflowId}": too many concurrent writers.`,
            { details: { workflowId }, transient: true, cause: error },
          );
        }
      }
    }
  }

  /** In seq order. */
  async list(workflowId: string, query: LogQuery = {}): Promise<LogChunk[]> {
    const afterSeq = query.afterSeq ?? 0;
    const rows =
      query.limit === undefined
        ? await this.after(workflowId, afterSeq)
        : await this.afterLimited(workflowId, afterSeq, query.limit);
    return rows.map(toChunk);
  }

  /** The last `count` chunks, in seq order: one statement, for a workflow's log tail. */
  async tail(workflowId: string, count: number): Promise<LogChunk[]> {
    return (await this.newest(workflowId, count)).map(toChunk).reverse();
  }

  /** The last seq of the workflow, 0 when it has no log yet. */
  async lastSeq(workflowId: string): Promise<number> {
    const [row] = await this.last(workflowId);
    return row?.seq === undefined || row.seq === null ? 0 : Number(row.seq);
  }
}
