import { z } from 'zod';

/** What a push means to Automatos, whichever forge sent it. */
export interface PushEvent {
  /** Clone URLs the repository is known by (https and ssh), to match a registered repository. */
  urls: string[];
  /** The branch pushed, without `refs/heads/`; null for tags and deletions. */
  branch: string | null;
  /** The commit the branch now points at. */
  commit: string | null;
  deleted: boolean;
}

const SHA = /^[0-9a-f]{40}$/;
const ZERO = '0'.repeat(40);

const GithubPush = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().optional(),
  repository: z.object({
    clone_url: z.string().optional(),
    ssh_url: z.string().optional(),
    html_url: z.string().optional(),
  }),
});

const GitlabPush = z.object({
  object_kind: z.literal('push'),
  ref: z.string(),
  after: z.string(),
  project: z.object({
    git_http_url: z.string().optional(),
    git_ssh_url: z.string().optional(),
    web_url: z.string().optional(),
  }),
});

const branchOf = (ref: string): string | null =>
  ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
const present = (values: Array<string | undefined>): string[] =>
  values.filter((v): v is string => v !== undefined && v !== '');

/** A GitHub `push` delivery's body, or null when it is not a push this can act on. */
export function parseGithubPush(body: unknown): PushEvent | null {
  const parsed = GithubPush.safeParse(body);
  if (!parsed.success) return null;
  const { ref, after, deleted, repository } = parsed.data;
  const gone = deleted === true || after === ZERO;
  return {
    urls: present([repository.clone_url, repository.ssh_url, repository.html_url]),
    branch: branchOf(ref),
    commit: SHA.test(after) && !gone ? after : null,
    deleted: gone,
  };
}

/** A GitLab push hook's body, or null when it is not a push. */
export function parseGitlabPush(body: unknown): PushEvent | null {
  const parsed = GitlabPush.safeParse(body);
  if (!parsed.success) return null;
  const { ref, after, project } = parsed.data;
  const gone = after === ZERO;
  return {
    urls: present([project.git_http_url, project.git_ssh_url, project.web_url]),
    branch: branchOf(ref),
    commit: SHA.test(after) && !gone ? after : null,
    deleted: gone,
  };
}
