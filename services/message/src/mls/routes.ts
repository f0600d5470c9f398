import {
  ClaimedKeyPackages,
  KeyPackageCounts,
  KeyPackageOwnerParams,
  MAX_KEY_PACKAGES_PER_DEVICE,
  PendingWelcomes,
  PublishKeyPackagesBody,
  WelcomeParams,
  type Rejection,
  type Result,
} from '@chat/contracts';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import { Type } from '@sinclair/typebox';
import { errorResponses, orReject, runCommand, viewerOf, type RestDeps } from '../rest/routing';
import { acceptableKeyPackage, type StoredKeyPackage } from './key-packages/key-package';
import type { KeyPackageDirectory } from './key-packages/port';

const NoContent = Type.Null({ description: 'Done.' });
const DEFAULT_DEVICE = 'default';

/** Every package of the batch, or the first refusal: a batch is published whole or not at all. */
const allAcceptable = (packages: string[], userId: string): Result<StoredKeyPackage[], Rejection> => {
  const accepted: StoredKeyPackage[] = [];
  for (const base64 of packages) {
    const one = acceptableKeyPackage(base64, userId);
    if (!one.ok) return one;
    accepted.push(one.value);
  }
  return { ok: true, value: accepted };
};

/**
 * The MLS Authentication and Delivery Service's REST surface: the KeyPackage directory, and the
 * Welcomes kept for the users a commit added until they acknowledge them.
 */
export const registerMlsRoutes = (
  app: HttpApp,
  deps: RestDeps & { keyPackages: KeyPackageDirectory },
): void => {
  const tags = ['end-to-end encryption'];
  const { keyPackages } = deps;

  app.post(
    '/api/mls/key-packages',
    {
      schema: {
        tags,
        summary: "Publish KeyPackages for one of the caller's devices",
        description:
          "Each KeyPackage's basic credential must name the caller (`credential_mismatch` otherwise). " +
          `A device keeps at most ${MAX_KEY_PACKAGES_PER_DEVICE} published. Answers the caller's counts.`,
        body: PublishKeyPackagesBody,
        response: { 200: KeyPackageCounts, ...errorResponses() },
      },
    },
    async (request) => {
      const { userId } = viewerOf(request);
      const { device_id = DEFAULT_DEVICE, key_packages, last_resort } = request.body;
      const packages = orReject(allAcceptable(key_packages, userId));
      const lastResort =
        last_resort === undefined ? undefined : orReject(acceptableKeyPackage(last_resort, userId));
      const available =
        (await keyPackages.counts(userId)).find((count) => count.device_id === device_id)?.available ?? 0;
      if (available + packages.length > MAX_KEY_PACKAGES_PER_DEVICE) {
        throw new HttpRejection(
          'invalid_request',
          `A device keeps at most ${MAX_KEY_PACKAGES_PER_DEVICE} KeyPackages; ${available} are published.`,
        );
      }
      await keyPackages.publish({
        user_id: userId,
        device_id,
        packages,
        ...(lastResort ? { last_resort: lastResort } : {}),
      });
      return { devices: await keyPackages.counts(userId) };
    },
  );

  app.get(
    '/api/mls/key-packages',
    {
      schema: {
        tags,
        summary: "The caller's published KeyPackages left, per device",
        description: 'A device with none left is not listed. Publish more before they run out.',
        response: { 200: KeyPackageCounts, ...errorResponses() },
      },
    },
    async (request) => ({ devices: await keyPackages.counts(viewerOf(request).userId) }),
  );

  app.get(
    '/api/mls/key-packages/:user_id',
    {
      schema: {
        tags,
        summary: "Claim one KeyPackage of each of a user's devices, to add the user to a group",
        description:
          'Each is given out once; a device with none left gives its last-resort one, again and again. ' +
          'An empty list: the user published none.',
        params: KeyPackageOwnerParams,
        response: { 200: ClaimedKeyPackages, ...errorResponses() },
      },
    },
    async (request) => ({
      user_id: request.params.user_id,
      key_packages: await keyPackages.claim(request.params.user_id),
    }),
  );

  app.get(
    '/api/mls/welcomes',
    {
      schema: {
        tags,
        summary: 'The Welcomes kept for the caller',
        description:
          "A commit that added the caller to an encrypted room's group left its Welcome here; it stays " +
          'until acknowledged.',
        response: { 200: PendingWelcomes, ...errorResponses() },
      },
    },
    async (request) => ({ welcomes: await deps.readModel.listWelcomes(viewerOf(request).userId) }),
  );

  app.delete(
    '/api/mls/welcomes/:room_id/:seq',
    {
      schema: {
        tags,
        summary: 'Acknowledge a Welcome: the caller joined the group from it (or gives up on it)',
        params: WelcomeParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await runCommand(deps, request, { type: 'AcknowledgeMlsWelcome', data: request.params });
      return reply.code(204).send(null);
    },
  );
};
