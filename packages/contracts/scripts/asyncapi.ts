import { writeFileSync } from 'node:fs';
import { ASYNCAPI_PATH, renderAsyncApi } from '../src/asyncapi-file';

writeFileSync(ASYNCAPI_PATH, renderAsyncApi());
process.stdout.write(`wrote ${ASYNCAPI_PATH}\n`);
