import type { FastifyInstance, FastifyRequest } from 'fastify';
import { handlePush, type PushDelivery } from '../../engine/index.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { BODY, ErrorBodySchema, errors, json, OPEN, WebhookResultSchema } from '../schemas/index.js';
import { parseGithubPush, parseGitlabPush, type PushEvent } from '../webhooks/push.js';
import { verifyGithubSignature, verifyGitlabToken } from '../webhooks/signature.js';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Delivery ids are the forge's UUIDs: anything else is not a real delivery. */
const DELIVERY_ID = /^[A-Za-z0-9-]{8,100}$/;

interface Forge {
  provider: 'github' | 'gitlab';
  eventHeader: string;
  pushEvents: readonly string[];
  idHeader: string;
  parse: (body: unknown) => PushEvent | null;
  verifier: (request: FastifyRequest, raw: Buffer) => (secret: string) => boolean;
}

const FORGES: readonly Forge[] = [
  {
    provider: 'github',
    eventHeader: 'x-github-event',
    pushEvents: ['push'],
    idHeader: 'x-github-delivery',
    parse: parseGithubPush,
    verifier: (request, raw) => (secret) =>
      verifyGithubSignature(secret, raw, header(request, 'x-hub-signature-256')),
  },
  {
    provider: 'gitlab',
    eventHeader: 'x-gitlab-event',
    pushEvents: ['Push Hook'],
    idHeader: 'x-gitlab-event-uuid',
    parse: parseGitlabPush,
    verifier: (request) => (secret) => verifyGitlabToken(secret, header(request, 'x-gitlab-token')),
  },
];

/**
 * GitOps webhooks. They carry no API key: a delivery is authenticated by the secret of the
 * repository registered for the URL it names (`automatos repos add`), checked on the raw bytes.
 * Bad signatures are 401 and audited; replays are answered 200 and do nothing.
 */
export function webhookRoutes(app: FastifyInstance, ctx: ServerContext): void {
  void app.register(async (scope) => {
    // The signature covers the exact bytes sent: keep them, parse afterwards.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });
    for (const forge of FORGES) {
      scope.post(
        `/webhooks/${forge.provider}`,
        {
          schema: {
            tags: ['webhooks'],
            summary: `${forge.provider} push webhook (signed, no API key)`,
            response: {
              200: json(
                WebhookResultSchema,
                'Nothing to deploy: a replay, a ref no registration follows, or a commit already deployed or older than the deployed one',
              ),
              202: json(WebhookResultSchema, 'Deployments queued (or an event that is not a push)'),
              401: json(
                ErrorBodySchema,
                'Not signed with the secret of a repository registered for the URL it names (audited)',
              ),
              // 422: no deployment could be queued (details.errors); 503: the database does not answer.
              ...errors(...OPEN, ...BODY, 422, 503),
            },
          },
          config: { access: { public: true } },
        },
        async (request, reply) => {
          const raw = request.body;
          if (!Buffer.isBuffer(raw)) {
            throw new HttpError(
              415,
              'AUT_UNSUPPORTED_MEDIA_TYPE',
              'webhooks must be sent as application/json',
            );
          }
          const deliveryId = header(request, forge.idHeader) ?? '';
          if (!DELIVERY_ID.test(deliveryId)) {
            throw new HttpError(
              400,
              'AUT_INVALID_INPUT',
              `the ${forge.idHeader} header is missing or malformed`,
            );
          }
          const event = header(request, forge.eventHeader) ?? '';
          let body: unknown;
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new HttpError(400, 'AUT_INVALID_INPUT', 'the body is not valid JSON');
          }
          const push = forge.pushEvents.includes(event) ? forge.parse(body) : null;
          if (push === null) {
            // Pings and other events: acknowledged, nothing to deploy, nothing authenticated.
            return reply.status(202).send({ status: 'ignored', reason: `event "${event}" is not a push` });
          }
          const delivery: PushDelivery = {
            provider: forge.provider,
            deliveryId,
            ...push,
            verify: forge.verifier(request, raw),
          };
          const result = await handlePush(ctx.orch, ctx.engine, delivery);
          if (result.status === 'unauthenticated') {
            // Audited like a bad API key (aggregated under a flood), never rate limited: a delivery
            // signed right must get through whatever others sent from the same address.
            await app.failedAuth.record({
              ip: request.ip,
              keyId: null,
              principal: `webhook:${forge.provider}`,
              source: 'webhook',
              reason: 'bad signature',
              details: {
                route: `/webhooks/${forge.provider}`,
                delivery: deliveryId,
                urls: push.urls.slice(0, 3),
              },
            });
            throw new HttpError(
              401,
              'AUT_UNAUTHENTICATED',
              'the delivery is not signed with the secret of a repository registered for its URL',
            );
          }
          if (result.status === 'failed') {
            return reply.status(422).send({
              error: {
                code: 'AUT_SOURCE_FETCH',
                message: 'no deployment could be queued',
                details: { errors: result.errors },
              },
            });
          }
          return reply.status(result.status === 'deployed' ? 202 : 200).send(result);
        },
      );
    }
  });
}
