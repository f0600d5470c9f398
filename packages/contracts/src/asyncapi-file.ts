import { fileURLToPath } from 'node:url';
import { buildAsyncApi } from './asyncapi';

/** Where the generated document is committed: `pnpm docs:asyncapi` rewrites it. */
export const ASYNCAPI_PATH = fileURLToPath(new URL('../../../docs/asyncapi.json', import.meta.url));

export const renderAsyncApi = (): string => `${JSON.stringify(buildAsyncApi(), null, 2)}\n`;
