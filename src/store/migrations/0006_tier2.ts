import { sql, type Kysely, type Migration } from 'kysely';

/** Repeated here on purpose (not imported from schema.ts): a released migration is frozen. */
const REVIEW_VERDICTS = `'allowed', 'approval_required', 'denied'`;

/**
 * Tier 2: the task prompt a workflow was planned from, the prompt's requirements (met or unmet),
 * the provider and model that planned it with the tokens spent, the review of its plan and the
 * operator's approval; every exchange with an agent (redacted) and every fix a diagnoser proposed.
 * Same rules as 0001–0005: schema builder and standard SQL only. Never edit it once released: add 0007.
 */
export const tier2: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('workflows').addColumn('task_prompt', 'text').execute();
    // JSON array of {text, status, how|why}; null for a workflow that was not planned from a prompt.
    await db.schema.alterTable('workflows').addColumn('requirements', 'text').execute();
    await db.schema.alterTable('workflows').addColumn('agent_provider', 'text').execute();
    await db.schema.alterTable('workflows').addColumn('agent_model', 'text').execute();
    await db.schema
      .alterTable('workflows')
      .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('workflows')
      .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('workflows')
      .addColumn('review_verdict', 'text', (c) =>
        c.check(sql.raw(`review_verdict is null or review_verdict in (${REVIEW_VERDICTS})`)),
      )
      .execute();
    // JSON array of findings (denied or high-risk commands, unmet requirements).
    await db.schema.alterTable('workflows').addColumn('review_findings', 'text').execute();
    // JSON {decision: approved|rejected, by, at, reason, covers}.
    await db.schema.alterTable('workflows').addColumn('approval', 'text').execute();

    await db.schema
      .createTable('agent_exchanges')
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      // 1, 2, 3 … per workflow, in the order the requests were made.
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('agent', 'text', (c) => c.notNull().check(sql`agent in ('planner', 'diagnoser')`))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('model', 'text')
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('input_tokens', 'integer')
      .addColumn('output_tokens', 'integer')
      .addColumn('ok', 'integer', (c) => c.notNull().check(sql`ok in (0, 1)`))
      .addColumn('error', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('agent_exchanges_pk', ['workflow_id', 'seq'])
      .addForeignKeyConstraint('agent_exchanges_workflow_fk', ['workflow_id'], 'workflows', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('workflow_fixes')
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      // 1 or 2: a workflow gets at most two fixes.
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      // JSON of the fix, or null when the diagnoser found none it trusts.
      .addColumn('fix', 'text')
      .addColumn('verdict', 'text', (c) =>
        c.check(sql.raw(`verdict is null or verdict in (${REVIEW_VERDICTS})`)),
      )
      .addColumn('applied', 'integer', (c) => c.notNull().check(sql`applied in (0, 1)`))
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('workflow_fixes_pk', ['workflow_id', 'attempt'])
      .addForeignKeyConstraint('workflow_fixes_workflow_fk', ['workflow_id'], 'workflows', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('workflow_fixes').execute();
    await db.schema.dropTable('agent_exchanges').execute();
    for (const column of [
      'approval',
      'review_findings',
      'review_verdict',
      'output_tokens',
      'input_tokens',
      'agent_model',
      'agent_provider',
      'requirements',
      'task_prompt',
    ]) {
      await db.schema.alterTable('workflows').dropColumn(column).execute();
    }
  },
};
